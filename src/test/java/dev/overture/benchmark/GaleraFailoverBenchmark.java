package dev.overture.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.support.AppProcess;
import dev.overture.support.AppTestBase;
import dev.overture.support.Audiences;
import dev.overture.support.GaleraCluster;
import dev.overture.support.StandaloneApps;
import dev.overture.support.TestMail;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Overture on a three-node MariaDB Galera Cluster (support/GaleraCluster) through {@code jdbc:mariadb:sequential://},
 * the one client configuration Camunda 7 supports for Galera, and the node in use killed with SIGKILL while entries,
 * events and emails flow. Not part of {@code ./mvnw verify} (three servers and an app are too heavy for it):
 * {@code ./mvnw -B -ntp test -Pbenchmark -Dtest=GaleraFailoverBenchmark}; figures in docs/operations.md, "Galera".
 *
 * <p>A client posts, one request after another, for each of {@code bench.galera.profiles} consenting profiles a welcome
 * entry (with an {@code Idempotency-Key}) and an {@code order.completed} event (with its {@code eventId}), each making
 * one email (welcome, order thank-you). A request that fails is sent again, the same key, until it is accepted, as a
 * client told 503 "send it again" does. Once a third of the requests are in, node 1, which the app's connections are
 * on, is killed. Then every request must have had its effect exactly once: one entry per profile, one event row and one
 * post-purchase journey per event, every event processed, one email per (profile, creative) at the SMTP server and no
 * Message-ID twice, no incident. Node 1 is started again at the end and must hold what the others hold.
 * Results go to the log and to {@code target/benchmark/galera-failover.md}. Also {@code -Dbench.galera.pace-ms} (100)
 * between requests and {@code -Dbench.galera.settle-minutes} (6) for the emails and events to finish after the load.
 */
@Tag("benchmark")
class GaleraFailoverBenchmark {

  private static final Logger log = LoggerFactory.getLogger(GaleraFailoverBenchmark.class);
  private static final Path DIR = Path.of("target", "galera");
  private static final String DATABASE = "overture";
  private static final String COHORT = "galera";
  private static final Duration PACE = Duration.ofMillis(Long.getLong("bench.galera.pace-ms", 100));

  private final int profiles = Integer.getInteger("bench.galera.profiles", 150);
  private final Map<String, String> results = new LinkedHashMap<>();

  @Test
  void killingTheNodeInUseLosesAndDuplicatesNothing() throws Exception {
    StandaloneApps.requireOwnJvm();
    long started = System.nanoTime();
    try (GaleraCluster cluster = GaleraCluster.start(DIR, DATABASE)) {
      results.put("cluster up", seconds(System.nanoTime() - started));
      SoftAssertions soft = new SoftAssertions();
      for (int n = 1; n <= GaleraCluster.NODES; n++) {
        // what Camunda requires of every node
        soft.assertThat(cluster.value(n, "SELECT @@tx_isolation")).as("node %d isolation", n).isEqualTo("READ-COMMITTED");
        soft.assertThat(cluster.value(n, "SELECT @@wsrep_sync_wait")).as("node %d wsrep_sync_wait", n).isEqualTo("7");
        soft.assertThat(cluster.value(n, "SELECT @@binlog_format")).as("node %d binlog_format", n).isEqualTo("ROW");
        soft.assertThat(cluster.value(n, "SELECT @@innodb_autoinc_lock_mode")).as("node %d autoinc lock mode", n).isEqualTo("2");
        soft.assertThat(cluster.value(n, "SELECT @@wsrep_on")).as("node %d wsrep_on", n).isEqualTo("1");
      }
      results.put("database", cluster.value(1, "SELECT VERSION()") + ", " + GaleraCluster.NODES + " nodes, galera "
          + cluster.value(1, "SHOW STATUS LIKE 'wsrep_provider_version'"));
      long appStarted = System.nanoTime();
      try (AppProcess app = AppProcess.start("galera", cluster.sequentialUrl(),
          // this benchmark counts the emails and their arrival times on the test JVM's GreenMail
          "--spring.mail.port=" + TestMail.port())) {
        results.put("app up (schema made on the cluster)", seconds(System.nanoTime() - appStarted));
        results.put("tables without a primary key (Galera replicates their deletes badly)", cluster.value(2, """
            SELECT COALESCE(GROUP_CONCAT(t.TABLE_NAME), 'none') FROM information_schema.TABLES t
            WHERE t.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE' AND NOT EXISTS (SELECT 1
              FROM information_schema.TABLE_CONSTRAINTS c WHERE c.TABLE_SCHEMA = t.TABLE_SCHEMA
              AND c.TABLE_NAME = t.TABLE_NAME AND c.CONSTRAINT_TYPE = 'PRIMARY KEY')""".replace("DATABASE()", "'" + DATABASE + "'")));
        run(cluster, app, soft);
      }
      soft.assertAll();
    } finally {
      report();
    }
  }

  private void run(GaleraCluster cluster, AppProcess app, SoftAssertions soft) throws Exception {
    JdbcClient jdbc = JdbcClient.create(dataSource(cluster.sequentialUrl()));
    List<String> members = Audiences.create(app, jdbc, COHORT, profiles);
    Client client = new Client(app.port());
    for (String profileId : members) {
      client.queue.add(Call.entry(profileId));
      client.queue.add(Call.event(profileId));
    }
    int calls = client.queue.size();
    results.put("requests", calls + " (" + profiles + " welcome entries, " + profiles + " order.completed events), one at a time every "
        + PACE.toMillis() + " ms, each sent again with the same key until accepted");

    client.start();
    await().atMost(Duration.ofMinutes(3)).until(() -> client.accepted.get() >= calls / 3);
    long appConnectionsOnNode1 = appConnections(cluster, 1);
    results.put("app connections on node 1 before the kill", Long.toString(appConnectionsOnNode1));
    soft.assertThat(appConnectionsOnNode1).as("the app uses node 1, the first of the sequential URL").isPositive();
    long killedAt = System.nanoTime();
    java.time.Instant killedAtWall = java.time.Instant.now();
    cluster.kill(1);
    results.put("node 1 killed (SIGKILL) after", client.accepted.get() + " accepted requests");
    client.done.await(5, TimeUnit.MINUTES);
    client.stop();
    results.put("last request accepted after the kill", seconds(System.nanoTime() - killedAt));
    assertThat(client.queue).as("requests still not accepted after 5 minutes").isEmpty();
    results.put("app connections on node 2 after the kill", Long.toString(appConnections(cluster, 2)));
    results.put("cluster after the kill", "size " + cluster.value(2, "SHOW STATUS LIKE 'wsrep_cluster_size'") + ", node 2 "
        + cluster.value(2, "SHOW STATUS LIKE 'wsrep_local_state_comment'"));
    failures(client, killedAt);

    // let the journeys' emails and the events' correlation finish on the survivors
    JdbcClient node2 = JdbcClient.create(dataSource(cluster.nodeUrl(2)));
    String ofCohort = "profile_id IN (SELECT id FROM profile WHERE JSON_VALUE(attributes, '$.cohort') = '" + COHORT + "')";
    Duration settle = Duration.ofMinutes(Long.getLong("bench.galera.settle-minutes", 6));
    long settleFrom = System.nanoTime();
    try {
      await().atMost(settle).pollInterval(Duration.ofSeconds(1)).until(() -> count(node2, "SELECT COUNT(*) FROM outbox_message WHERE status = 'sent' AND "
          + ofCohort) >= 2L * profiles && count(node2, "SELECT COUNT(*) FROM customer_event WHERE processed_at IS NULL") == 0
          && count(node2, "SELECT COUNT(*) FROM outbox_message WHERE status IN ('pending', 'sending') AND " + ofCohort) == 0);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      log.warn("Not settled within {}: {}", settle, e.getMessage());
    }
    results.put("settled (all emails sent, all events processed) after the load, within", seconds(System.nanoTime() - settleFrom));

    // entries: one per profile
    Map<String, Long> entries = perProfile(node2, "SELECT profile_id, COUNT(*) n FROM journey_entry WHERE journey_key = 'welcome' AND "
        + ofCohort + " GROUP BY profile_id");
    Figures entryFigures = Figures.of(members, entries);
    // events: one row per accepted eventId, processed, and the journey it starts entered once
    Map<String, Long> eventRows = new TreeMap<>();
    for (Call call : client.acceptedCalls) {
      if (call.kind == Kind.EVENT) {
        eventRows.put(call.key, count(node2, "SELECT COUNT(*) FROM customer_event WHERE event_id = '" + call.key + "'"));
      }
    }
    Figures eventFigures = Figures.of(client.acceptedCalls.stream().filter(c -> c.kind == Kind.EVENT).map(c -> c.key).toList(), eventRows);
    long unprocessed = count(node2, "SELECT COUNT(*) FROM customer_event WHERE processed_at IS NULL");
    Figures postPurchase = Figures.of(members, perProfile(node2, "SELECT profile_id, COUNT(*) n FROM journey_entry WHERE journey_key = "
        + "'post-purchase' AND " + ofCohort + " GROUP BY profile_id"));
    // emails: what GreenMail received, by the outbox row each names (X-Overture-Outbox-Id) and by Message-ID
    Map<String, String> creativeOfOutboxRow = new LinkedHashMap<>();
    Map<String, String> profileOfOutboxRow = new LinkedHashMap<>();
    node2.sql("SELECT id, profile_id, creative_key FROM outbox_message WHERE " + ofCohort).query((rs, i) -> {
      creativeOfOutboxRow.put(rs.getString("id"), rs.getString("creative_key"));
      profileOfOutboxRow.put(rs.getString("id"), rs.getString("profile_id"));
      return null;
    }).list();
    List<MimeMessage> mails = Arrays.stream(TestMail.server().getReceivedMessages())
        .filter(m -> TestMail.header(m, "To").startsWith(COHORT + "-")).toList();
    long distinctMessageIds = mails.stream().map(m -> TestMail.header(m, "Message-ID")).distinct().count();
    Map<String, Long> perProfileAndCreative = mails.stream().map(m -> TestMail.header(m, "X-Overture-Outbox-Id"))
        .collect(Collectors.groupingBy(id -> profileOfOutboxRow.get(id) + "/" + creativeOfOutboxRow.get(id), Collectors.counting()));
    List<String> expectedMails = new ArrayList<>();
    for (String profileId : members) {
      expectedMails.add(profileId + "/welcome");
      expectedMails.add(profileId + "/order-thank-you");
    }
    Figures mailFigures = Figures.of(expectedMails, perProfileAndCreative);
    long outboxRows = count(node2, "SELECT COUNT(*) FROM outbox_message WHERE " + ofCohort);
    // a send that could not take its guard on the lost connection is retried after a backoff; one whose worker failed
    // before that keeps its claim until the lease ends (2 min) and goes then: both arrive once, as attempt 2
    long sentAgain = count(node2, "SELECT COUNT(*) FROM outbox_message WHERE attempts > 1 AND " + ofCohort);
    java.time.Instant lastArrival = java.util.stream.IntStream.range(0, profiles).mapToObj(i -> TestMail.arrivals(Audiences.email(COHORT, i)))
        .flatMap(List::stream).max(java.util.Comparator.naturalOrder()).orElse(killedAtWall);
    results.put("emails sent on a second attempt / last email arrived after the kill", sentAgain + " / "
        + seconds(Duration.between(killedAtWall, lastArrival).toNanos()));
    long incidents = count(node2, "SELECT COUNT(*) FROM ACT_RU_INCIDENT");
    long failedJobs = count(node2, "SELECT COUNT(*) FROM ACT_RU_JOB WHERE EXCEPTION_MSG_ IS NOT NULL");

    results.put("welcome entries: lost / duplicated", entryFigures.toString());
    results.put("events: lost / duplicated / unprocessed", eventFigures + " / " + unprocessed);
    results.put("post-purchase journeys started by the events: lost / duplicated", postPurchase.toString());
    results.put("emails at the SMTP server: lost / duplicated (per profile and creative)", mailFigures + "; " + mails.size()
        + " received, " + distinctMessageIds + " distinct Message-IDs, " + outboxRows + " outbox rows for " + expectedMails.size() + " emails");
    results.put("incidents / jobs with a failure left", incidents + " / " + failedJobs);

    // the killed node comes back, catches up and holds what the survivors hold
    long restartFrom = System.nanoTime();
    cluster.restart(1, GaleraCluster.NODES);
    results.put("node 1 restarted and Synced in", seconds(System.nanoTime() - restartFrom) + " ("
        + (Files.readString(cluster.log(1)).contains("IST received") ? "incremental transfer" : "see its log for the transfer") + ")");
    String fingerprint = "SELECT CONCAT((SELECT COUNT(*) FROM journey_entry), '/', (SELECT COUNT(*) FROM customer_event), '/', "
        + "(SELECT COUNT(*) FROM outbox_message WHERE status = 'sent'), '/', (SELECT COUNT(*) FROM ACT_RU_EXECUTION))";
    String onNode1 = cluster.value(1, fingerprint.replace("FROM ", "FROM " + DATABASE + "."));
    String onNode2 = cluster.value(2, fingerprint.replace("FROM ", "FROM " + DATABASE + "."));
    results.put("entries/events/sent emails/executions on node 1 and node 2 after the rejoin", onNode1 + " and " + onNode2);

    soft.assertThat(entryFigures.lost).as("welcome entries lost").isZero();
    soft.assertThat(entryFigures.duplicated).as("welcome entries duplicated").isZero();
    soft.assertThat(eventFigures.lost).as("events lost").isZero();
    soft.assertThat(eventFigures.duplicated).as("events duplicated").isZero();
    soft.assertThat(unprocessed).as("events not processed").isZero();
    soft.assertThat(postPurchase.lost).as("post-purchase journeys lost").isZero();
    soft.assertThat(postPurchase.duplicated).as("post-purchase journeys duplicated").isZero();
    soft.assertThat(mailFigures.lost).as("emails lost").isZero();
    soft.assertThat(mailFigures.duplicated).as("emails duplicated").isZero();
    soft.assertThat(distinctMessageIds).as("distinct Message-IDs").isEqualTo(mails.size());
    soft.assertThat(incidents).as("incidents").isZero();
    soft.assertThat(onNode1).as("the rejoined node holds what the others hold").isEqualTo(onNode2);
  }

  /** When calls failed, measured from the kill: the first and last failed attempt, and the first success after it. */
  private void failures(Client client, long killedAt) {
    List<Attempt> attempts = List.copyOf(client.attempts);
    List<Attempt> failed = attempts.stream().filter(a -> !a.accepted()).toList();
    Map<String, Long> answers = failed.stream().collect(Collectors.groupingBy(Attempt::answer, TreeMap::new, Collectors.counting()));
    results.put("failed attempts", failed.size() + " of " + attempts.size() + " (" + failed.stream().map(a -> a.call).distinct().count()
        + " requests), answers " + answers);
    if (failed.isEmpty()) {
      results.put("calls failed", "never");
      return;
    }
    long lastFailureEnd = failed.stream().mapToLong(a -> a.endedAt).max().orElseThrow();
    long firstFailureStart = failed.stream().mapToLong(a -> a.startedAt).min().orElseThrow();
    long recovered = attempts.stream().filter(a -> a.accepted() && a.startedAt >= lastFailureEnd).mapToLong(a -> a.endedAt).min()
        .orElse(lastFailureEnd);
    long slowest = attempts.stream().mapToLong(a -> a.endedAt - a.startedAt).max().orElse(0);
    results.put("calls failed (from the kill)", "first attempt started " + seconds(firstFailureStart - killedAt) + ", last failure answered "
        + seconds(lastFailureEnd - killedAt) + ", first success after it " + seconds(recovered - killedAt) + "; slowest answer "
        + seconds(slowest));
  }

  private static long appConnections(GaleraCluster cluster, int node) {
    return cluster.count(node, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '" + DATABASE
        + "' AND ID <> CONNECTION_ID()");
  }

  private static Map<String, Long> perProfile(JdbcClient jdbc, String sql) {
    Map<String, Long> counts = new TreeMap<>();
    jdbc.sql(sql).query((rs, i) -> counts.put(rs.getString(1), rs.getLong(2))).list();
    return counts;
  }

  private static long count(JdbcClient jdbc, String sql) {
    return jdbc.sql(sql).query(Long.class).single();
  }

  private static MariaDbDataSource dataSource(String url) throws java.sql.SQLException {
    MariaDbDataSource ds = new MariaDbDataSource(url + "?connectTimeout=2000");
    ds.setUser("root");
    ds.setPassword("");
    return ds;
  }

  private void report() throws IOException {
    StringBuilder md = new StringBuilder("# Galera failover benchmark\n\n| what | figure |\n| --- | --- |\n");
    results.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v.replace("|", "/")).append(" |\n"));
    Path out = Path.of("target", "benchmark", "galera-failover.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md);
    log.info("Galera failover benchmark:\n{}", md);
  }

  private static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  /** Lost: expected keys without an effect; duplicated: effects beyond the first, summed. */
  private record Figures(long lost, long duplicated) {
    static Figures of(List<String> expected, Map<String, Long> counts) {
      long lost = expected.stream().filter(k -> counts.getOrDefault(k, 0L) == 0).count();
      long duplicated = counts.entrySet().stream().filter(e -> expected.contains(e.getKey())).mapToLong(e -> Math.max(0, e.getValue() - 1)).sum()
          + counts.keySet().stream().filter(k -> !expected.contains(k)).count();
      return new Figures(lost, duplicated);
    }

    @Override
    public String toString() {
      return lost + " / " + duplicated;
    }
  }

  private enum Kind { ENTRY, EVENT }

  /** One request: a welcome entry (key: its Idempotency-Key) or an event (key: its eventId). */
  private record Call(Kind kind, String profileId, String key) {
    static Call entry(String profileId) {
      return new Call(Kind.ENTRY, profileId, "galera-entry-" + profileId);
    }

    static Call event(String profileId) {
      return new Call(Kind.EVENT, profileId, UUID.randomUUID().toString());
    }
  }

  private record Attempt(Call call, long startedAt, long endedAt, int status, String error) {
    boolean accepted() {
      return status >= 200 && status < 300;
    }

    String answer() {
      return error != null ? error : Integer.toString(status);
    }
  }

  /**
   * Sends the queued requests one at a time, one every {@link #PACE}, from a scheduler rather than a loop that sleeps;
   * a request that is not accepted goes back to the head of the queue and is sent again at the next tick.
   */
  private static final class Client {

    final Deque<Call> queue = new ConcurrentLinkedDeque<>();
    final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    final List<Call> acceptedCalls = new CopyOnWriteArrayList<>();
    final AtomicInteger accepted = new AtomicInteger();
    final CountDownLatch done = new CountDownLatch(1);
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "galera-client");
      t.setDaemon(true);
      return t;
    });

    Client(int port) {
      this.port = port;
    }

    void start() {
      scheduler.scheduleWithFixedDelay(this::tick, 0, PACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop() {
      scheduler.shutdownNow();
    }

    private void tick() {
      Call call = queue.pollFirst();
      if (call == null) {
        done.countDown();
        return;
      }
      long startedAt = System.nanoTime();
      int status = 0;
      String error = null;
      try {
        status = http.send(request(call), HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException e) {
        error = e.getClass().getSimpleName();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        queue.addFirst(call);
        return;
      }
      Attempt attempt = new Attempt(call, startedAt, System.nanoTime(), status, error);
      attempts.add(attempt);
      if (attempt.accepted()) {
        acceptedCalls.add(call);
        accepted.incrementAndGet();
      } else {
        queue.addFirst(call);
      }
    }

    private HttpRequest request(Call call) {
      Function<String, HttpRequest.Builder> post = path -> HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + AppTestBase.API_KEY)
          .header("Content-Type", "application/json");
      if (call.kind == Kind.ENTRY) {
        return post.apply("/api/journeys/welcome/entries").header("Idempotency-Key", call.key)
            .POST(HttpRequest.BodyPublishers.ofString("{\"profileId\":\"" + call.profileId + "\"}")).build();
      }
      return post.apply("/api/events").POST(HttpRequest.BodyPublishers.ofString("{\"eventId\":\"" + call.key
          + "\",\"type\":\"order.completed\",\"profileId\":\"" + call.profileId + "\",\"properties\":{\"orderId\":\"o-"
          + call.key.substring(0, 8) + "\"}}")).build();
    }
  }
}
