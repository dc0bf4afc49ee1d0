package dev.overture.sendtime.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The send-time model's arithmetic, with no I/O: a profile's engagements per local hour of the week (168 buckets,
 * 0 = Monday 00:00), each decayed by its age with a half-life of {@link #HALF_LIFE}, smoothed over the same hour on
 * the other days and the neighbouring hours, and blended with the population's distribution (smoothed alike) as a
 * prior worth {@code priorStrength} engagements, so a profile with little history leans on everyone's habits.
 *
 * <p>Weights are stored measured against {@link #EPOCH} ({@code 2^((t - EPOCH) / HALF_LIFE)}): every stored weight
 * decays by the same factor as time passes, so adding an engagement never reads its row, a population is a sum,
 * and {@link #scaleAt} turns the stored figures into effective engagements as of a moment.
 */
public final class EngagementModel {

  public static final int HOURS = 168;
  public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
  public static final Duration HALF_LIFE = Duration.ofDays(30);
  /** A click says more about when someone reads than an open, which privacy proxies also fetch at random times. */
  public static final double OPEN = 1.0;
  public static final double CLICK = 2.0;
  /** The share of the profile's engagements that fall in its best three hours of the day when they are spread evenly. */
  private static final double EVEN_SHARE = 3.0 / 24;
  /** Effective engagements at which the population's habits count for half of its prior (the rest: an even spread). */
  static final double POPULATION_SHRINK = 500;
  private static final double HALF_LIFE_SECONDS = HALF_LIFE.toSeconds();

  private EngagementModel() {}

  /** What the model says for one profile: a score per hour of the week (summing to 1) and how far to trust it. */
  public record Scores(double[] byHour, double confidence, double effectiveEngagements, double populationWeight) {

    /** The hour of the week with the highest score (the earliest of equals). */
    public int best() {
      int best = 0;
      for (int h = 1; h < HOURS; h++) {
        if (byHour[h] > byHour[best]) {
          best = h;
        }
      }
      return best;
    }
  }

  /**
   * The start of the best-scored local hour after {@code now} and at most {@code window} ahead among those
   * {@code open} lets through (quiet hours hold the others); empty when none is.
   */
  public static Optional<Instant> bestStart(Scores scores, ZonedDateTime now, Duration window, Predicate<Instant> open) {
    Instant end = now.toInstant().plus(window);
    Instant best = null;
    double bestScore = -1;
    for (ZonedDateTime hour = now.truncatedTo(ChronoUnit.HOURS).plusHours(1); !hour.toInstant().isAfter(end);
        hour = hour.plusHours(1)) {
      double score = scores.byHour()[hourOfWeek(hour)];
      if (score > bestScore && open.test(hour.toInstant())) {
        best = hour.toInstant();
        bestScore = score;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The stored weight of one engagement of this kind ({@link #OPEN}, {@link #CLICK}) at {@code at}. */
  public static double weightAt(Instant at, double kind) {
    return kind * Math.pow(2, (at.getEpochSecond() - EPOCH.getEpochSecond()) / HALF_LIFE_SECONDS);
  }

  /** The factor that turns stored weights into effective engagements as of {@code now}. */
  public static double scaleAt(Instant now) {
    return Math.pow(2, -(now.getEpochSecond() - EPOCH.getEpochSecond()) / HALF_LIFE_SECONDS);
  }

  /** The bucket of a local time: 0 is Monday 00:00–00:59, 167 Sunday 23:00–23:59. */
  public static int hourOfWeek(ZonedDateTime local) {
    return (local.getDayOfWeek().getValue() - 1) * 24 + local.getHour();
  }

  /**
   * Scores one profile. {@code weights}: its stored weights per hour of the week; {@code population}: everyone's
   * (any scale, all zero for none: then the prior is even); {@code scale}: {@link #scaleAt} of the moment.
   */
  public static Scores score(double[] weights, double[] population, double scale, double priorStrength) {
    double n = sum(weights) * scale;
    double[] prior = prior(population, sum(population) * scale);
    double populationWeight = priorStrength / (n + priorStrength);
    if (n <= 0) {
      return new Scores(prior, 0, 0, 1);
    }
    double[] own = distribution(weights);
    double[] smoothed = smoothed(own);
    double[] out = new double[HOURS];
    for (int h = 0; h < HOURS; h++) {
      out[h] = (1 - populationWeight) * smoothed[h] + populationWeight * prior[h];
    }
    return new Scores(out, (1 - populationWeight) * concentration(hourOfDay(own)), n, populationWeight);
  }

  /**
   * The population's distribution, smoothed as a profile's is, and itself shrunk towards an even spread while it
   * rests on fewer than {@link #POPULATION_SHRINK} effective engagements: a young installation's handful of opens is
   * no one's habit.
   */
  static double[] prior(double[] population, double effective) {
    double trust = effective / (effective + POPULATION_SHRINK);
    double[] smoothed = smoothed(distribution(population));
    double[] out = new double[HOURS];
    for (int h = 0; h < HOURS; h++) {
      out[h] = trust * smoothed[h] + (1 - trust) / HOURS;
    }
    return out;
  }

  /**
   * Half the same hour of the week, half the same hour on any day (daily habits repeat, and 168 buckets are many for
   * a few opens), then a quarter to each neighbouring hour (an open at 19:58 says little against 20:00).
   */
  static double[] smoothed(double[] distribution) {
    double[] hourOfDay = hourOfDay(distribution);
    double[] pooled = new double[HOURS];
    for (int h = 0; h < HOURS; h++) {
      pooled[h] = 0.5 * distribution[h] + 0.5 * hourOfDay[h % 24] / 7;
    }
    double[] out = new double[HOURS];
    for (int h = 0; h < HOURS; h++) {
      out[h] = 0.5 * pooled[h] + 0.25 * pooled[(h + HOURS - 1) % HOURS] + 0.25 * pooled[(h + 1) % HOURS];
    }
    return out;
  }

  private static double[] hourOfDay(double[] distribution) {
    double[] out = new double[24];
    for (int h = 0; h < HOURS; h++) {
      out[h % 24] += distribution[h];
    }
    return out;
  }

  private static double sum(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum;
  }

  /**
   * How much more of the profile's engagement falls in its best three consecutive hours of the day than an even
   * spread would put there: 0 for no pattern, 1 for all of it.
   */
  static double concentration(double[] hourOfDay) {
    double best = 0;
    for (int k = 0; k < 24; k++) {
      best = Math.max(best, hourOfDay[(k + 23) % 24] + hourOfDay[k] + hourOfDay[(k + 1) % 24]);
    }
    return Math.max(0, (best - EVEN_SHARE) / (1 - EVEN_SHARE));
  }

  private static double[] distribution(double[] weights) {
    double sum = sum(weights);
    double[] out = new double[HOURS];
    for (int h = 0; h < HOURS; h++) {
      out[h] = sum > 0 ? weights[h] / sum : 1.0 / HOURS;
    }
    return out;
  }
}
