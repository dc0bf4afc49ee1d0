package dev.overture.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.OvertureApplication;
import dev.overture.support.AppTestBase;
import dev.overture.support.StandaloneApps;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The REST entry against Camunda's own start of the same BPMN, in one app (not part of {@code ./mvnw verify}; see
 * docs/performance.md, "Enrollment, entries and bytes per waiting journey", for the command). Every request
 * enters one new profile with an email address and email marketing consent into welcome, so each runs the same
 * process up to its first wait (consent checked, welcome email in the outbox, the instance at the event-based gateway):
 * <ul>
 *   <li>REST entry: {@code POST /api/journeys/welcome/entries} with {@code {"profileId": …}} and an API key;</li>
 *   <li>engine-rest: {@code POST /engine-rest/process-definition/key/welcome/start} with {@code {"businessKey": …}}
 *       (the delegates read the profile id from the business key), HTTP Basic as the app's admin.</li>
 * </ul>
 * Both on {@code bench.connections} concurrent connections (8), {@code bench.entries} requests a phase, phases
 * alternating (entry, engine-rest, engine-rest, entry, …) for {@code bench.rounds} rounds after a warm-up of each,
 * the outbox drained between phases so that no phase sends another's emails. Reports each phase's rate, the median
 * of each side and the ratio of the medians, to the log and to {@code target/benchmark/entry-benchmark.md}.
 */
@Tag("benchmark")
class EntryBenchmark {

  private static final Logger log = LoggerFactory.getLogger(EntryBenchmark.class);
  private static final Path DATA = Path.of("target", "benchmark", "mariadb-entry");

  private final int entries = Integer.getInteger("bench.entries", 1_000);
  private final int rounds = Integer.getInteger("bench.rounds", 3);
  private final int warmup = Integer.getInteger("bench.warmup", 300);
  private final int connections = Integer.getInteger("bench.connections", 8);

  private final Map<String, String> results = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void entryAgainstEngineRest() throws Exception {
    StandaloneApps.deleteRecursively(DATA);
    try (ConfigurableApplicationContext app = start()) {
      JdbcClient jdbc = app.getBean(JdbcClient.class);
      String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
      results.put("machine", Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
          + ", database " + jdbc.sql("SELECT VERSION()").query(String.class).single());
      results.put("sizes", entries + " requests a phase, " + rounds + " rounds, warm-up " + warmup + " of each, "
          + connections + " connections");
      List<String> profiles = seed(jdbc, 2 * warmup + 2 * rounds * entries);
      int next = 0;
      phase(base, Side.ENTRY, profiles.subList(next, next += warmup), jdbc);
      phase(base, Side.ENGINE_REST, profiles.subList(next, next += warmup), jdbc);
      List<Double> entryRates = new ArrayList<>();
      List<Double> engineRates = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        // alternate which side goes first, so that a drift in the machine's load weighs on both alike
        List<Side> order = round % 2 == 1 ? List.of(Side.ENTRY, Side.ENGINE_REST) : List.of(Side.ENGINE_REST, Side.ENTRY);
        for (Side side : order) {
          double rate = phase(base, side, profiles.subList(next, next += entries), jdbc);
          (side == Side.ENTRY ? entryRates : engineRates).add(rate);
          results.put("round " + round + ", " + side.label, String.format(Locale.ROOT, "%.1f requests/s", rate));
        }
      }
      RuntimeService runtime = app.getBean(RuntimeService.class);
      assertThat(runtime.createProcessInstanceQuery().processDefinitionKey("welcome").activityIdIn("Gateway_PurchaseOrTimeout")
          .count()).as("every request left a journey waiting for a purchase").isEqualTo((long) next);
      double entry = median(entryRates);
      double engine = median(engineRates);
      results.put("median, " + Side.ENTRY.label, String.format(Locale.ROOT, "%.1f requests/s", entry));
      results.put("median, " + Side.ENGINE_REST.label, String.format(Locale.ROOT, "%.1f requests/s", engine));
      results.put("ratio REST entry / engine-rest (medians)", String.format(Locale.ROOT, "%.2f", entry / engine));
    }
    report();
  }

  private enum Side {
    ENTRY("REST entry (POST /api/journeys/welcome/entries)"),
    ENGINE_REST("engine-rest (POST /engine-rest/process-definition/key/welcome/start)");

    final String label;

    Side(String label) {
      this.label = label;
    }
  }

  /** One phase: every profile once, on {@code connections} threads; then waits for the outbox to drain. Returns requests/s. */
  private double phase(String base, Side side, List<String> profiles, JdbcClient jdbc) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    AtomicInteger cursor = new AtomicInteger();
    long started = System.nanoTime();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < connections; t++) {
        done.add(pool.submit(() -> {
          for (int i = cursor.getAndIncrement(); i < profiles.size(); i = cursor.getAndIncrement()) {
            send(base, side, profiles.get(i));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    double rate = profiles.size() / ((System.nanoTime() - started) / 1e9);
    await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(250)).until(() -> jdbc
        .sql("SELECT COUNT(*) FROM outbox_message WHERE status IN ('pending', 'sending')").query(Long.class).single() == 0);
    return rate;
  }

  private void send(String base, Side side, String profileId) throws IOException, InterruptedException {
    HttpRequest.Builder request = side == Side.ENTRY
        ? HttpRequest.newBuilder(URI.create(base + "/api/journeys/welcome/entries"))
            .header("Authorization", "Bearer " + AppTestBase.API_KEY)
            .POST(HttpRequest.BodyPublishers.ofString("{\"profileId\":\"" + profileId + "\"}"))
        : HttpRequest.newBuilder(URI.create(base + "/engine-rest/process-definition/key/welcome/start"))
            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (AppTestBase.ADMIN + ":" + AppTestBase.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
            .POST(HttpRequest.BodyPublishers.ofString("{\"businessKey\":\"" + profileId + "\"}"));
    HttpResponse<String> response = http.send(request.header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    int expected = side == Side.ENTRY ? 201 : 200;
    if (response.statusCode() != expected) {
      throw new IllegalStateException(side.label + " answered " + response.statusCode() + ": " + response.body());
    }
  }

  /** Profiles with an email address and email marketing consent, written straight to the tables. */
  private List<String> seed(JdbcClient jdbc, int count) {
    long started = System.nanoTime();
    List<String> ids = new ArrayList<>(count);
    Timestamp now = Timestamp.from(Instant.now());
    for (int from = 0; from < count; from += 500) {
      int n = Math.min(500, count - from);
      List<Object> profiles = new ArrayList<>();
      List<Object> identities = new ArrayList<>();
      List<Object> consents = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String id = UUID.randomUUID().toString();
        ids.add(id);
        profiles.addAll(List.of(id, "{\"firstName\":\"Bench\"}", now, now));
        identities.addAll(List.of("email", "bench-" + id + "@example.com", id, now));
        consents.addAll(List.of(id, "email", "marketing", "granted", "benchmark", now));
      }
      jdbc.sql("INSERT INTO profile (id, attributes, created_at, updated_at) VALUES "
          + String.join(", ", Collections.nCopies(n, "(?, ?, ?, ?)"))).params(profiles).update();
      jdbc.sql("INSERT INTO profile_identity (type, value, profile_id, created_at) VALUES "
          + String.join(", ", Collections.nCopies(n, "(?, ?, ?, ?)"))).params(identities).update();
      jdbc.sql("INSERT INTO consent_entry (profile_id, channel, purpose, status, source, recorded_at) VALUES "
          + String.join(", ", Collections.nCopies(n, "(?, ?, ?, ?, ?, ?)"))).params(consents).update();
    }
    results.put("seed " + count + " consenting profiles", (System.nanoTime() - started) / 1_000_000 + " ms");
    return ids;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private void report() throws IOException {
    BenchmarkReports.write("entry-benchmark.md", "Entry benchmark", results, log);
  }

  private ConfigurableApplicationContext start() {
    List<String> args = new ArrayList<>(List.of(
        "--server.port=0",
        "--overture.admin.user=" + AppTestBase.ADMIN,
        "--overture.admin.password=" + AppTestBase.ADMIN_PASSWORD,
        "--overture.api-key=" + AppTestBase.API_KEY,
        "--overture.delivery.outbox-dir=target/benchmark/outbox-entry"));
    args.addAll(StandaloneApps.fileOutboxFor("email", "sms", "push", "webhook", "audience"));
    String external = System.getenv("DB_URL");
    if (external == null || external.isBlank()) {
      args.addAll(List.of("--overture.db.url=", "--overture.db.embedded-dir=" + DATA, "--overture.db.embedded-port=0"));
    }
    return new SpringApplicationBuilder(OvertureApplication.class).run(args.toArray(String[]::new));
  }
}
