package dev.overture.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.OvertureApplication;
import dev.overture.enrollment.Enrollment;
import dev.overture.enrollment.Enrollments;
import dev.overture.segment.Segments;
import dev.overture.support.AppTestBase;
import dev.overture.support.StandaloneApps;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The enrollment benchmark (not part of {@code ./mvnw verify}; see docs/performance.md for the command):
 * <ol>
 *   <li>seeds {@code bench.countProfiles} profiles and times segment counts over them;</li>
 *   <li>in an app and database of their own with Camunda's default (full) history, starts {@code bench.baseline}
 *       instances of audience-wait.bpmn with a plain loop of {@code startProcessInstanceByKey} (one transaction
 *       each), and as many again batched 200 per transaction on 4 threads: the two bare-Camunda baselines;</li>
 *   <li>enrolls {@code bench.profiles} profiles into the same journey through an audience enrollment
 *       and reports journeys/s, the ratio to the baseline, and bytes per waiting journey.</li>
 * </ol>
 * Both sides carry the same caller data: the profile as business key and no variables (a variable the caller
 * passes costs each side one ACT_RU_VARIABLE row, about 1.2 KB, and one insert).
 * Results go to the log and to {@code target/benchmark/enrollment-benchmark.md}.
 */
@Tag("benchmark")
class EnrollmentBenchmark {

  private static final Logger log = LoggerFactory.getLogger(EnrollmentBenchmark.class);
  private static final String JOURNEY = "audience-wait";
  private static final Path DATA = Path.of("target", "benchmark", "mariadb");

  private final int enrollProfiles = Integer.getInteger("bench.profiles", 2_000);
  private final int baselineProfiles = Integer.getInteger("bench.baseline", enrollProfiles);
  private final int countProfiles = Math.max(Integer.getInteger("bench.countProfiles", 20_000), enrollProfiles + baselineProfiles);
  private final int chunkSize = Integer.getInteger("bench.chunk", 500);

  private final Map<String, String> results = new LinkedHashMap<>();

  @Test
  void enrollmentAgainstBareCamunda() throws IOException {
    StandaloneApps.deleteRecursively(DATA.getParent());
    double plainLoop;
    double batched;
    // the baselines: bare Camunda at its defaults (full history), in an app and database of their own
    try (ConfigurableApplicationContext app = start(DATA.resolveSibling("mariadb-baseline"), "--camunda.bpm.history-level=full")) {
      JdbcClient jdbc = app.getBean(JdbcClient.class);
      results.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
          + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version") + ", database "
          + jdbc.sql("SELECT VERSION()").query(String.class).single());
      results.put("sizes", "enroll " + enrollProfiles + ", baseline " + baselineProfiles + " (each), profiles " + countProfiles
          + ", chunk " + chunkSize);
      seed(jdbc, 0, 2 * baselineProfiles, 2 * baselineProfiles);
      plainLoop = baseline(jdbc, app.getBean(RuntimeService.class));
      batched = batchedBaseline(jdbc, app.getBean(RuntimeService.class), app.getBean(TransactionTemplate.class));
    }
    try (ConfigurableApplicationContext app = start(DATA)) {
      JdbcClient jdbc = app.getBean(JdbcClient.class);
      seed(jdbc, enrollProfiles, 0, countProfiles);
      countSegments(app.getBean(Segments.class));
      double enrollment = enroll(jdbc, app.getBean(Segments.class), app.getBean(Enrollments.class),
          app.getBean(RuntimeService.class));
      results.put("ratio enrollment / plain-loop baseline", String.format(Locale.ROOT, "%.2f", enrollment / plainLoop));
      results.put("ratio enrollment / batched 4-thread baseline", String.format(Locale.ROOT, "%.2f", enrollment / batched));
    }
    report();
  }

  /**
   * Profiles: the first {@code bench} are the enrollment audience (tier "bench"), the next {@code baseline}
   * the baselines' (tier "baseline"), the rest up to {@code total} others.
   */
  private void seed(JdbcClient jdbc, int bench, int baseline, int total) {
    long started = System.nanoTime();
    Random random = new Random(42);
    String[] tiers = {"gold", "silver", "bronze"};
    String[] countries = {"DE", "AT", "FR", "US", "GB", "NL", "PL", "ES"};
    Timestamp now = Timestamp.from(Instant.now());
    List<Object> params = new ArrayList<>();
    int batch = 0;
    for (int i = 0; i < total; i++) {
      String tier = i < bench ? "bench" : i < bench + baseline ? "baseline" : tiers[random.nextInt(3)];
      String attributes = String.format(Locale.ROOT, "{\"tier\":\"%s\",\"country\":\"%s\",\"age\":%d,\"firstName\":\"P%d\"}",
          tier, countries[random.nextInt(countries.length)], 18 + random.nextInt(60), i);
      params.addAll(List.of(UUID.randomUUID().toString(), attributes, now, now));
      if (++batch == 1000 || i == total - 1) {
        jdbc.sql("INSERT INTO profile (id, attributes, created_at, updated_at) VALUES "
            + String.join(", ", Collections.nCopies(batch, "(?, ?, ?, ?)"))).params(params).update();
        params.clear();
        batch = 0;
      }
    }
    results.put("seed " + total + " profiles" + (bench == 0 ? " (baselines' database)" : ""), millis(started) + " ms");
  }

  private void countSegments(Segments segments) {
    Map<String, String> expressions = new LinkedHashMap<>();
    expressions.put("count-sql", "tier = \"gold\" and country in [\"DE\",\"AT\"]");
    expressions.put("count-sql-feel", "tier = \"gold\" and age >= 40");
    expressions.put("count-feel", "not(age < 40) and firstName != null");
    expressions.forEach((key, expression) -> {
      segments.define(key, key, expression);
      Segments.Count c = segments.count(key);
      results.put("segment count over " + countProfiles + " profiles: `" + expression + "`",
          c.millis() + " ms (" + c.evaluation() + ", " + c.members() + " members, " + c.evaluated() + " evaluated)");
    });
  }

  /** The first half of the baseline profiles, one startProcessInstanceByKey (one transaction) each, one thread. */
  private double baseline(JdbcClient jdbc, RuntimeService runtime) {
    List<String> ids = jdbc.sql("SELECT id FROM profile WHERE attr_tier = 'baseline' ORDER BY id LIMIT " + baselineProfiles)
        .query(String.class).list();
    long started = System.nanoTime();
    for (String id : ids) {
      runtime.startProcessInstanceByKey(JOURNEY, id);
    }
    double rate = ids.size() / seconds(started);
    results.put("baseline 1, Camunda defaults (full history): plain startProcessInstanceByKey loop, " + ids.size() + " starts",
        String.format(Locale.ROOT, "%.0f starts/s", rate));
    return rate;
  }

  /** The other half as a careful engineer drives bare Camunda: 200 starts per transaction, 4 threads, defaults otherwise. */
  private double batchedBaseline(JdbcClient jdbc, RuntimeService runtime, TransactionTemplate tx) {
    List<String> ids = jdbc.sql("SELECT id FROM profile WHERE attr_tier = 'baseline' ORDER BY id LIMIT " + baselineProfiles
        + " OFFSET " + baselineProfiles).query(String.class).list();
    List<List<String>> batches = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += 200) {
      batches.add(ids.subList(i, Math.min(ids.size(), i + 200)));
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    long started = System.nanoTime();
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (List<String> batch : batches) {
        done.add(pool.submit(() -> tx.executeWithoutResult(s -> batch.forEach(
            id -> runtime.startProcessInstanceByKey(JOURNEY, id)))));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get();
      }
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdown();
    }
    double rate = ids.size() / seconds(started);
    results.put("baseline 2, Camunda defaults (full history): 200 starts per transaction on 4 threads, " + ids.size() + " starts",
        String.format(Locale.ROOT, "%.0f starts/s", rate));
    return rate;
  }

  private double enroll(JdbcClient jdbc, Segments segments, Enrollments enrollments, RuntimeService runtime) {
    segments.define("bench-audience", "Benchmark audience", "tier = \"bench\" and age >= 18");
    Map<String, Long> tablesBefore = tableBytes(jdbc);
    long bytesBefore = bytes(jdbc);
    long started = System.nanoTime();
    String id = enrollments.start(JOURNEY, "bench-audience", Map.of(), null, "benchmark").id();
    await().atMost(Duration.ofHours(3)).pollInterval(Duration.ofSeconds(1))
        .until(() -> enrollments.require(id).status().equals(Enrollment.COMPLETED));
    double elapsed = seconds(started);
    Enrollment done = enrollments.require(id);
    assertThat(done.enrolled()).isEqualTo(enrollProfiles);
    assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(JOURNEY).activityIdIn("Event_WaitThreeDays").count())
        .isEqualTo((long) enrollProfiles);
    long bytesAfter = bytes(jdbc);
    double rate = done.enrolled() / elapsed;
    results.put("enrollment: " + done.enrolled() + " profiles, wall time", String.format(Locale.ROOT, "%.1f s", elapsed));
    results.put("enrollment rate", String.format(Locale.ROOT, "%.0f journeys/s (enrollment's own rate %.0f/s)", rate, done.rate()));
    results.put("bytes per waiting journey (enrollment, all tables)", String.valueOf((bytesAfter - bytesBefore) / done.enrolled()));
    Map<String, Long> tablesAfter = tableBytes(jdbc);
    StringBuilder top = new StringBuilder();
    tablesAfter.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), (e.getValue() - tablesBefore.getOrDefault(e.getKey(), 0L)) / done.enrolled()))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> top.append(top.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue()));
    results.put("bytes per waiting journey by table", top.toString());
    return rate;
  }

  /** data_length + index_length of this schema's tables, after fresh statistics. */
  private static long bytes(JdbcClient jdbc) {
    List<String> tables = jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()")
        .query(String.class).list();
    for (String t : tables) {
      jdbc.sql("ANALYZE TABLE `" + t + "`").query(rs -> { });
    }
    return jdbc.sql("SELECT SUM(data_length + index_length) FROM information_schema.tables WHERE table_schema = DATABASE()")
        .query(Long.class).single();
  }

  private static Map<String, Long> tableBytes(JdbcClient jdbc) {
    Map<String, Long> out = new LinkedHashMap<>();
    jdbc.sql("SELECT table_name, data_length + index_length FROM information_schema.tables WHERE table_schema = DATABASE()")
        .query(rs -> {
          out.put(rs.getString(1), rs.getLong(2));
        });
    return out;
  }

  private void report() throws IOException {
    BenchmarkReports.write("enrollment-benchmark.md", "Enrollment benchmark", results, log);
  }

  private ConfigurableApplicationContext start(Path data, String... extra) {
    List<String> args = new ArrayList<>(List.of(
        "--server.port=0",
        "--overture.admin.user=" + AppTestBase.ADMIN,
        "--overture.admin.password=" + AppTestBase.ADMIN_PASSWORD,
        "--overture.delivery.outbox-dir=target/benchmark/outbox",
        "--overture.enrollment.chunk-size=" + chunkSize,
        "--overture.enrollment.poll-interval=100ms"));
    args.addAll(StandaloneApps.fileOutboxFor("email", "sms", "push", "webhook", "audience"));
    String external = System.getenv("DB_URL");
    if (external == null || external.isBlank()) {
      args.addAll(List.of("--overture.db.url=", "--overture.db.embedded-dir=" + data, "--overture.db.embedded-port=0"));
    }
    args.addAll(List.of(extra));
    return new SpringApplicationBuilder(OvertureApplication.class).run(args.toArray(String[]::new));
  }

  private static long millis(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
