package dev.overture.sendtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The model's arithmetic: buckets, decay, smoothing, the population's blend and the confidence. */
class EngagementModelTest {

  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final double SCALE = EngagementModel.scaleAt(NOW);
  private static final double[] NOBODY = new double[EngagementModel.HOURS];

  @Test
  void hoursOfTheWeekStartOnMondayMidnightLocal() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    assertThat(EngagementModel.hourOfWeek(ZonedDateTime.of(2026, 12, 7, 0, 30, 0, 0, berlin))).isZero();
    assertThat(EngagementModel.hourOfWeek(ZonedDateTime.of(2026, 12, 8, 19, 5, 0, 0, berlin))).isEqualTo(24 + 19);
    assertThat(EngagementModel.hourOfWeek(ZonedDateTime.of(2026, 12, 13, 23, 59, 0, 0, berlin))).isEqualTo(167);
  }

  @Test
  void anEngagementHalvesItsWeightEveryThirtyDays() {
    double today = EngagementModel.weightAt(NOW, EngagementModel.OPEN) * SCALE;
    double monthAgo = EngagementModel.weightAt(NOW.minus(Duration.ofDays(30)), EngagementModel.OPEN) * SCALE;
    double click = EngagementModel.weightAt(NOW, EngagementModel.CLICK) * SCALE;

    assertThat(today).isCloseTo(1.0, within(1e-9));
    assertThat(monthAgo).isCloseTo(0.5, within(1e-9));
    assertThat(click).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void withoutHistoryTheAnswerIsThePopulationsAndNotConfident() {
    double[] population = new double[EngagementModel.HOURS];
    population[43] = EngagementModel.weightAt(NOW, 1) * 10_000;
    population[44] = EngagementModel.weightAt(NOW, 1) * 5_000;

    EngagementModel.Scores s = EngagementModel.score(new double[EngagementModel.HOURS], population, SCALE, 5);

    assertThat(s.best()).isEqualTo(43);
    assertThat(s.confidence()).isZero();
    assertThat(s.populationWeight()).isEqualTo(1.0);
    assertThat(EngagementModel.score(new double[EngagementModel.HOURS], NOBODY, SCALE, 5).byHour()[100])
        .isCloseTo(1.0 / 168, within(1e-12));
  }

  @Test
  void opensClusteredAtOneHourMakeItTheBestAndTheModelConfident() {
    double[] weights = opensAt(19, 6, 1);

    EngagementModel.Scores s = EngagementModel.score(weights, NOBODY, SCALE, 5);

    assertThat(s.best() % 24).isEqualTo(19);
    assertThat(Arrays.stream(s.byHour()).sum()).isCloseTo(1.0, within(1e-9));
    assertThat(s.effectiveEngagements()).as("six opens 1 to 6 days old").isBetween(5.4, 5.7);
    assertThat(s.populationWeight()).isCloseTo(5 / (s.effectiveEngagements() + 5), within(1e-12));
    assertThat(s.confidence()).isCloseTo(1 - s.populationWeight(), within(1e-9));
  }

  @Test
  void moreHistoryMeansLessPopulationAndMoreConfidence() {
    EngagementModel.Scores few = EngagementModel.score(opensAt(19, 2, 1), NOBODY, SCALE, 5);
    EngagementModel.Scores many = EngagementModel.score(opensAt(19, 20, 1), NOBODY, SCALE, 5);

    assertThat(few.confidence()).isLessThan(0.3);
    assertThat(many.confidence()).isGreaterThan(0.7);
    assertThat(many.populationWeight()).isLessThan(few.populationWeight());
  }

  @Test
  void opensSpreadOverTheDayGiveLittleConfidence() {
    double[] weights = new double[EngagementModel.HOURS];
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      weights[random.nextInt(EngagementModel.HOURS)] += EngagementModel.weightAt(NOW.minus(Duration.ofHours(i)), 1);
    }

    assertThat(EngagementModel.score(weights, NOBODY, SCALE, 5).confidence()).isLessThan(0.15);
  }

  @Test
  void aSparseProfileLeansOnThePopulationWhileARecentHabitBeatsAnOldOne() {
    double[] population = new double[EngagementModel.HOURS];
    for (int d = 0; d < 7; d++) {
      population[d * 24 + 20] = EngagementModel.weightAt(NOW, 1) * 10_000;
    }
    assertThat(EngagementModel.score(opensAt(3, 1, 1), population, SCALE, 5).best() % 24).as("one open at 03:00").isEqualTo(20);

    double[] habits = opensAt(8, 8, 120);
    double[] recent = opensAt(19, 8, 1);
    for (int h = 0; h < EngagementModel.HOURS; h++) {
      habits[h] += recent[h];
    }
    assertThat(EngagementModel.score(habits, NOBODY, SCALE, 5).best() % 24).as("08:00 four months ago, 19:00 now").isEqualTo(19);
  }

  @Test
  void aSmallPopulationIsShrunkTowardsAnEvenSpread() {
    double[] few = new double[EngagementModel.HOURS];
    few[43] = EngagementModel.weightAt(NOW, 1) * 20;
    double[] many = few.clone();
    many[43] *= 1000;

    double smallPeak = EngagementModel.prior(few, 20)[43];
    double largePeak = EngagementModel.prior(many, 20_000)[43];

    assertThat(smallPeak).isLessThan(3.0 / EngagementModel.HOURS);
    assertThat(largePeak).isGreaterThan(10.0 / EngagementModel.HOURS);
    assertThat(Arrays.stream(EngagementModel.prior(few, 20)).sum()).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void anOpenAlsoSpeaksForTheSameHourOnOtherDaysAndTheNeighbouringHours() {
    double[] weights = new double[EngagementModel.HOURS];
    weights[24 + 19] = EngagementModel.weightAt(NOW, 1) * 10;

    double[] p = EngagementModel.score(weights, NOBODY, SCALE, 5).byHour();

    assertThat(p[24 + 19]).isGreaterThan(p[4 * 24 + 19]);
    assertThat(p[4 * 24 + 19]).isGreaterThan(p[4 * 24 + 10]);
    assertThat(p[24 + 20]).isGreaterThan(p[24 + 21]);
  }

  /** {@code count} opens at {@code hour} local on consecutive days, the newest {@code daysAgo} days ago. */
  private static double[] opensAt(int hour, int count, int daysAgo) {
    double[] weights = new double[EngagementModel.HOURS];
    for (int i = 0; i < count; i++) {
      Instant at = NOW.minus(Duration.ofDays(daysAgo + i));
      int day = at.atZone(ZoneId.of("UTC")).getDayOfWeek().getValue() - 1;
      weights[day * 24 + hour] += EngagementModel.weightAt(at, EngagementModel.OPEN);
    }
    return weights;
  }
}
