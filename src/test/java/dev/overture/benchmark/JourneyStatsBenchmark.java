package dev.overture.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.OvertureApplication;
import dev.overture.support.AppTestBase;
import dev.overture.support.StandaloneApps;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code GET /api/journeys/welcome/stats} on a journey with {@code bench.entries} (1M) entries, seeded in
 * bulk with SQL as the journey log would have written them: journey_run rows over 30 days (70 % ended, in
 * every reason, 30 % waiting), their counters, a message per entry with consent in the outbox, and
 * opened/clicked events for part of them, and the message counters those outcomes moved. Reports the median of
 * five calls, each filter combination.
 * Not part of {@code ./mvnw verify}; command in docs/performance.md.
 */
@Tag("benchmark")
class JourneyStatsBenchmark {

  private static final Logger log = LoggerFactory.getLogger(JourneyStatsBenchmark.class);
  private static final Path DATA = Path.of("target", "benchmark", "stats-mariadb");
  private static final String API_KEY = "benchmark-api-key-0123456789abcdef";

  private final int entries = Integer.getInteger("bench.entries", 1_000_000);
  private final Map<String, String> results = new LinkedHashMap<>();

  @Test
  void statsOnAMillionEntries() throws Exception {
    StandaloneApps.deleteRecursively(DATA.getParent().resolve("stats-mariadb"));
    try (ConfigurableApplicationContext app = start()) {
      JdbcClient jdbc = app.getBean(JdbcClient.class);
      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      results.put("machine", Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
          + ", database " + jdbc.sql("SELECT VERSION()").query(String.class).single());
      long started = System.nanoTime();
      seed(jdbc);
      results.put("seed " + entries + " entries (runs, counters, outbox, events)", (System.nanoTime() - started) / 1_000_000 + " ms");
      results.put("rows", "journey_run " + count(jdbc, "journey_run") + ", journey_count " + count(jdbc, "journey_count")
          + ", journey_element_count " + count(jdbc, "journey_element_count") + ", journey_message_count "
          + count(jdbc, "journey_message_count") + ", outbox_message " + count(jdbc, "outbox_message")
          + ", customer_event " + count(jdbc, "customer_event"));
      HttpClient http = HttpClient.newHttpClient();
      measure(http, port, "16 shards");
      // the same counters folded onto the writer's 4 shards (V61 folds existing rows so): a quarter of the rows to read
      long folding = System.nanoTime();
      for (String t : List.of("journey_count", "journey_element_count")) {
        fold(jdbc, t);
      }
      results.put("fold counters onto 4 shards", (System.nanoTime() - folding) / 1_000_000 + " ms; journey_count "
          + count(jdbc, "journey_count") + ", journey_element_count " + count(jdbc, "journey_element_count"));
      measure(http, port, "4 shards");
    }
    StringBuilder md = new StringBuilder("| measure | value |\n|---|---|\n");
    results.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
    Files.createDirectories(Path.of("target", "benchmark"));
    Files.writeString(Path.of("target", "benchmark", "journey-stats-benchmark.md"), md);
    log.info("Journey stats benchmark:\n{}", md);
  }

  private void measure(HttpClient http, int port, String label) throws IOException, InterruptedException {
    for (String query : List.of("", "?version=1", "?from=2026-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", "?version=1&from=2020-01-01T10:30:00Z")) {
      String url = "http://localhost:" + port + "/api/journeys/welcome/stats" + query;
      get(http, url);
      long[] millis = new long[5];
      String body = null;
      for (int i = 0; i < millis.length; i++) {
        long t = System.nanoTime();
        body = get(http, url);
        millis[i] = (System.nanoTime() - t) / 1_000_000;
      }
      Arrays.sort(millis);
      results.put("stats" + (query.isEmpty() ? "" : " `" + query + "`") + ", " + label, "median " + millis[2] + " ms ("
          + Arrays.stream(millis).mapToObj(Long::toString).collect(Collectors.joining(", ")) + ")");
      if (query.isEmpty()) {
        assertThat(body).contains("\"entered\":" + entries);
        results.put("answer (no filter), " + label, body.length() > 600 ? body.substring(0, 600) + "…" : body);
      }
    }
  }

  /** As V61 folds a counter table's rows onto shards 0-3, summing the rows that meet. */
  private static void fold(JdbcClient jdbc, String table) {
    List<String> columns = jdbc.sql("SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() "
        + "AND table_name = ? ORDER BY ordinal_position").param(table).query(String.class).list();
    List<String> keys = jdbc.sql("SELECT column_name FROM information_schema.key_column_usage WHERE table_schema = DATABASE() "
        + "AND table_name = ? AND constraint_name = 'PRIMARY' ORDER BY ordinal_position").param(table).query(String.class).list();
    String select = String.join(", ", columns.stream().map(c -> c.equals("shard") ? "shard MOD 4" : keys.contains(c) ? c : "SUM(" + c + ")")
        .toList());
    jdbc.sql("CREATE TABLE " + table + "_folded LIKE " + table).update();
    jdbc.sql("INSERT INTO " + table + "_folded SELECT " + select + " FROM " + table + " GROUP BY "
        + String.join(", ", keys.stream().map(k -> k.equals("shard") ? "shard MOD 4" : k).toList())).update();
    jdbc.sql("RENAME TABLE " + table + " TO " + table + "_unfolded, " + table + "_folded TO " + table).update();
    jdbc.sql("DROP TABLE " + table + "_unfolded").update();
    jdbc.sql("ANALYZE TABLE " + table).query(rs -> { });
  }

  private static String get(HttpClient http, String url) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + API_KEY).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private static long count(JdbcClient jdbc, String table) {
    return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
  }

  /**
   * Entry i (1..n) starts i minutes before now, wrapping over 30 days. i % 10: 0-2 wait at the gateway,
   * 3 no consent (completed at EndEvent_NoConsent), 4 goal, 5 reminder sent (completed), 6 exited by
   * API, 7 cancelled, 8 exited by event (counted as such, though welcome has no such exit), 9 erased.
   */
  private void seed(JdbcClient jdbc) {
    jdbc.sql("CREATE TEMPORARY TABLE bench_seq (n INT NOT NULL PRIMARY KEY)").update();
    jdbc.sql("INSERT INTO bench_seq SELECT seq FROM seq_1_to_" + entries).update();
    String startedAt = "(UTC_TIMESTAMP(3) - INTERVAL (n MOD 43200) MINUTE)";
    String reason = "ELT(n MOD 10 + 1, NULL, NULL, NULL, 'completed', 'goal_reached', 'completed', 'exited_by_api', 'cancelled', "
        + "'exited_by_event', 'erased')";
    String endElement = "ELT(n MOD 10 + 1, NULL, NULL, NULL, 'EndEvent_NoConsent', 'EndEvent_Purchased', 'EndEvent_ReminderSent', "
        + "NULL, NULL, 'EndEvent_Purchased', NULL)";
    jdbc.sql("INSERT INTO journey_run (instance_id, journey_key, version, profile_id, started_at, ended_at, end_reason, end_element_id) "
        + "SELECT CONCAT('bench-', n), 'welcome', 1, UUID(), " + startedAt + ", IF(n MOD 10 < 3, NULL, " + startedAt
        + " + INTERVAL 1 MINUTE), " + reason + ", " + endElement + " FROM bench_seq WHERE n MOD 10 <> 9").update();
    String hour = "DATE_FORMAT(" + startedAt + ", '%Y-%m-%d %H:00:00')";
    String shard = "(n MOD 16)";
    jdbc.sql("INSERT INTO journey_count (journey_key, version, entered_hour, shard, entered, completed, goal_reached, exited_by_event, "
        + "exited_by_api, cancelled, erased) SELECT 'welcome', 1, " + hour + ", " + shard + ", COUNT(*), SUM(n MOD 10 IN (3, 5)), "
        + "SUM(n MOD 10 = 4), SUM(n MOD 10 = 8), SUM(n MOD 10 = 6), SUM(n MOD 10 = 7), SUM(n MOD 10 = 9) FROM bench_seq "
        + "GROUP BY 3, 4").update();
    // element -> (entered if, completed if, cancelled if), over n MOD 10
    Map<String, String[]> elements = new LinkedHashMap<>();
    elements.put("StartEvent_Entered", new String[] {"TRUE", "TRUE", "FALSE"});
    elements.put("Task_CheckEmailConsent", new String[] {"TRUE", "TRUE", "FALSE"});
    elements.put("Gateway_HasEmailConsent", new String[] {"TRUE", "TRUE", "FALSE"});
    elements.put("EndEvent_NoConsent", new String[] {"m = 3", "m = 3", "FALSE"});
    elements.put("Task_SendWelcomeEmail", new String[] {"m <> 3", "m <> 3", "FALSE"});
    elements.put("Gateway_PurchaseOrTimeout", new String[] {"m <> 3", "m IN (4, 5, 8)", "m IN (6, 7, 9)"});
    elements.put("Event_PurchaseCompleted", new String[] {"m IN (4, 8)", "m IN (4, 8)", "FALSE"});
    elements.put("EndEvent_Purchased", new String[] {"m IN (4, 8)", "m IN (4, 8)", "FALSE"});
    elements.put("Event_TwoDaysPassed", new String[] {"m = 5", "m = 5", "FALSE"});
    elements.put("Task_SendReminderEmail", new String[] {"m = 5", "m = 5", "FALSE"});
    elements.put("EndEvent_ReminderSent", new String[] {"m = 5", "m = 5", "FALSE"});
    elements.forEach((element, c) -> jdbc.sql("INSERT INTO journey_element_count (journey_key, version, element_id, entered_hour, "
        + "shard, entered, completed, cancelled) SELECT 'welcome', 1, '" + element + "', " + hour + ", " + shard + ", SUM(" + c[0]
        + "), SUM(" + c[1] + "), SUM(" + c[2] + ") FROM (SELECT n, n MOD 10 AS m FROM bench_seq) s GROUP BY 4, 5").update());
    // one welcome email per entry with consent: 85 % sent, the rest suppressed, failed or bounced
    String status = "ELT(n MOD 20 + 1, 'suppressed', 'failed', 'bounced', 'sent', 'sent', 'sent', 'sent', 'sent', 'sent', 'sent', "
        + "'sent', 'sent', 'sent', 'sent', 'sent', 'sent', 'sent', 'sent', 'sent', 'sent')";
    jdbc.sql("INSERT INTO outbox_message (id, profile_id, channel, purpose, creative_key, journey_key, process_instance_id, activity_id, "
        + "status, reason, due_at, created_at, updated_at) SELECT CONCAT('b', LPAD(n, 35, '0')), UUID(), 'email', 'marketing', 'welcome', "
        + "'welcome', CONCAT('bench-', n), 'Task_SendWelcomeEmail', " + status + ", IF(n MOD 20 = 0, "
        + "'no marketing consent for email at send time', NULL), NOW(3), NOW(3), NOW(3) FROM bench_seq WHERE n MOD 10 <> 3").update();
    // the outcome events belong to one profile: who it is does not change the count
    jdbc.sql("INSERT INTO profile (id, attributes, created_at, updated_at) VALUES ('00000000-0000-0000-0000-000000000bnc', '{}', NOW(3), NOW(3))")
        .update();
    jdbc.sql("INSERT INTO customer_event (event_id, type, profile_id, occurred_at, received_at, properties) "
        + "SELECT CONCAT('b', LPAD(n, 35, '0'), ':opened'), 'message.opened', '00000000-0000-0000-0000-000000000bnc', NOW(3), NOW(3), '{}' FROM bench_seq "
        + "WHERE n MOD 10 <> 3 AND n MOD 20 >= 3 AND n MOD 3 = 0").update();
    jdbc.sql("INSERT INTO customer_event (event_id, type, profile_id, occurred_at, received_at, properties) "
        + "SELECT CONCAT('b', LPAD(n, 35, '0'), ':clicked:abc'), 'message.clicked', '00000000-0000-0000-0000-000000000bnc', NOW(3), NOW(3), '{}' FROM bench_seq "
        + "WHERE n MOD 10 <> 3 AND n MOD 20 >= 3 AND n MOD 9 = 0").update();
    // the message counters, as the outbox and the tracking endpoints move them (V61): one row per hour and outcome
    jdbc.sql("INSERT INTO journey_message_count (journey_key, version, element_id, entered_hour, outcome, messages) "
        + "SELECT 'welcome', 1, 'Task_SendWelcomeEmail', " + hour + ", x.outcome, COUNT(*) FROM bench_seq JOIN ("
        + "SELECT 'sent' AS outcome UNION ALL SELECT 'failed' UNION ALL SELECT 'bounced' UNION ALL SELECT 'suppressed:no_consent' "
        + "UNION ALL SELECT 'opened' UNION ALL SELECT 'clicked') x ON (x.outcome = 'sent' AND n MOD 20 >= 2) "
        + "OR (x.outcome = 'failed' AND n MOD 20 = 1) OR (x.outcome = 'bounced' AND n MOD 20 = 2) "
        + "OR (x.outcome = 'suppressed:no_consent' AND n MOD 20 = 0) OR (x.outcome = 'opened' AND n MOD 20 >= 3 AND n MOD 3 = 0) "
        + "OR (x.outcome = 'clicked' AND n MOD 20 >= 3 AND n MOD 9 = 0) WHERE n MOD 10 <> 3 GROUP BY 4, 5").update();
    for (String t : List.of("journey_run", "journey_count", "journey_element_count", "journey_message_count", "outbox_message",
        "customer_event")) {
      jdbc.sql("ANALYZE TABLE " + t).query(rs -> { });
    }
  }

  private ConfigurableApplicationContext start() {
    List<String> args = new ArrayList<>(List.of(
        "--server.port=0",
        "--overture.admin.user=" + AppTestBase.ADMIN,
        "--overture.admin.password=" + AppTestBase.ADMIN_PASSWORD,
        "--overture.api-key=" + API_KEY,
        "--overture.delivery.outbox-dir=target/benchmark/outbox",
        "--overture.enrollment.worker-enabled=false",
        "--overture.db.url=", "--overture.db.embedded-dir=" + DATA, "--overture.db.embedded-port=0"));
    args.addAll(StandaloneApps.fileOutboxFor("email", "sms", "push", "webhook", "audience"));
    return new SpringApplicationBuilder(OvertureApplication.class).run(args.toArray(String[]::new));
  }
}
