package dev.overture.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.sendtime.internal.EngagementModel;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send-time model on synthetic customers, in memory: each has a time zone and a preferred local hour (08:00 to
 * 20:00, outside the default quiet hours) and up to 12 opens over the last 60 days, 70 % of them near that hour
 * (±45 min) and 30 % at any hour of the week (noise: privacy proxies, weekend browsing). Each customer then gets one
 * "Wait for the best time" send (24 h window, fallback 10:00, quiet hours 21:00–08:00) from a random moment in the
 * next week, and one fixed-time send at 10:00 local (the wait trusts the model from {@code bench.min-confidence}, 0.15, as
 * the app does by default); reported: the share that lands in the preferred hour either way,
 * and the time to score {@code bench.profiles} (1M) profiles (model and window pick), single-threaded.
 * Not part of {@code ./mvnw verify}; command and figures in docs/performance.md.
 */
@Tag("benchmark")
class SendTimeBenchmark {

  private static final Logger log = LoggerFactory.getLogger(SendTimeBenchmark.class);
  private static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"),
      ZoneId.of("America/New_York"), ZoneId.of("Asia/Tokyo"), ZoneId.of("Asia/Kolkata"));
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final double PRIOR = 5;
  private static final double MIN_CONFIDENCE = Double.parseDouble(System.getProperty("bench.min-confidence", "0.15"));

  private final int customers = Integer.getInteger("bench.customers", 50_000);
  private final int profiles = Integer.getInteger("bench.profiles", 1_000_000);

  private record Customer(ZoneId zone, int preferred, double[] weights, int opens) {}

  @Test
  void theModelSendsInThePreferredHourMoreOftenThanAFixedTime() throws Exception {
    Random random = new Random(42);
    Customer[] all = new Customer[customers];
    double[] population = new double[EngagementModel.HOURS];
    for (int i = 0; i < customers; i++) {
      all[i] = customer(random);
      for (int h = 0; h < EngagementModel.HOURS; h++) {
        population[h] += all[i].weights()[h];
      }
    }
    double scale = EngagementModel.scaleAt(NOW);
    int modelHits = 0;
    int fixedHits = 0;
    int learnt = 0;
    int learntHits = 0;
    int[] hitsByOpens = new int[13];
    int[] byOpens = new int[13];
    for (Customer c : all) {
      ZonedDateTime sendFrom = NOW.plusSeconds(random.nextInt(7 * 24 * 3600)).atZone(c.zone());
      Instant due = send(c, population, scale, sendFrom);
      boolean confident = EngagementModel.score(c.weights(), population, scale, PRIOR).confidence() >= MIN_CONFIDENCE;
      boolean hit = due.atZone(c.zone()).getHour() == c.preferred();
      modelHits += hit ? 1 : 0;
      learnt += confident ? 1 : 0;
      learntHits += confident && hit ? 1 : 0;
      fixedHits += c.preferred() == 10 ? 1 : 0;
      byOpens[c.opens()]++;
      hitsByOpens[c.opens()] += hit ? 1 : 0;
    }
    Map<String, String> results = new LinkedHashMap<>();
    results.put("machine", Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version"));
    results.put("customers", customers + " (0–12 opens each, 70 % near the preferred hour, 30 % at random)");
    results.put("in the preferred hour: fixed 10:00 local", percent(fixedHits, customers));
    results.put("in the preferred hour: best time (fallback 10:00)", percent(modelHits, customers));
    results.put("... of those the model was confident about (" + percent(learnt, customers) + " of all)", percent(learntHits, learnt));
    StringBuilder curve = new StringBuilder();
    for (int k = 0; k <= 12; k += 2) {
      curve.append(curve.isEmpty() ? "" : ", ").append(k).append(" opens: ").append(percent(hitsByOpens[k], byOpens[k]));
    }
    results.put("best time by history", curve.toString());

    Customer[] pool = java.util.Arrays.copyOf(all, Math.min(customers, 10_000));
    for (int i = 0; i < 20_000; i++) {
      send(pool[i % pool.length], population, scale, NOW.atZone(pool[i % pool.length].zone()));
    }
    long started = System.nanoTime();
    long sink = 0;
    for (int i = 0; i < profiles; i++) {
      Customer c = pool[i % pool.length];
      sink += send(c, population, scale, NOW.atZone(c.zone())).getEpochSecond();
    }
    long ms = (System.nanoTime() - started) / 1_000_000;
    results.put("score " + profiles + " profiles (model, confidence, best hour in 24 h), one thread", ms + " ms ("
        + String.format("%.1f", ms * 1000.0 / profiles) + " µs a profile)");
    BenchmarkReports.write("send-time-benchmark.md", "Send-time benchmark", results, log);

    assertThat(sink).isPositive();
    assertThat(modelHits).as("the model beats a fixed time").isGreaterThan(fixedHits);
  }

  /** Where a best-time wait from {@code from} would send the customer. */
  private static Instant send(Customer c, double[] population, double scale, ZonedDateTime from) {
    EngagementModel.Scores s = EngagementModel.score(c.weights(), population, scale, PRIOR);
    Instant fallback = nextLocal(from, LocalTime.of(10, 0));
    if (s.confidence() < MIN_CONFIDENCE) {
      return fallback;
    }
    ZoneId zone = c.zone();
    Predicate<Instant> open = at -> {
      int hour = at.atZone(zone).getHour();
      return hour >= 8 && hour < 21;
    };
    return EngagementModel.bestStart(s, from, Duration.ofHours(24), open).orElse(fallback);
  }

  private static Instant nextLocal(ZonedDateTime from, LocalTime at) {
    ZonedDateTime candidate = from.with(at);
    return (candidate.isAfter(from) ? candidate : candidate.plusDays(1)).toInstant();
  }

  private static Customer customer(Random random) {
    ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
    int preferred = 8 + random.nextInt(13);
    int opens = random.nextInt(13);
    double[] weights = new double[EngagementModel.HOURS];
    for (int i = 0; i < opens; i++) {
      ZonedDateTime day = NOW.minusSeconds(86_400L * (1 + random.nextInt(60))).atZone(zone);
      ZonedDateTime at = random.nextDouble() < 0.7
          ? day.with(LocalTime.of(preferred, 30)).plusMinutes(Math.round(random.nextGaussian() * 45))
          : day.with(LocalTime.of(random.nextInt(24), random.nextInt(60)));
      weights[EngagementModel.hourOfWeek(at)] += EngagementModel.weightAt(at.toInstant(), EngagementModel.OPEN);
    }
    return new Customer(zone, preferred, weights, opens);
  }

  private static String percent(int part, int whole) {
    return whole == 0 ? "-" : String.format("%.1f %%", 100.0 * part / whole);
  }
}
