package dev.overture.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.event.internal.EventsProperties;
import dev.overture.support.AppTestBase;
import dev.overture.support.TestMail;
import java.net.URI;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Event-to-reaction latency and ingest rate. Not part of {@code verify}; run with
 * {@code ./mvnw -B -ntp test -Pbenchmark -Dbenchmark.rate=200 -Dbenchmark.seconds=60 -Dbenchmark.ingest=20000}; before the
 * measured phase, {@code -Dbenchmark.warmup=S} seconds (60) of the same events at the same rate to other profiles,
 * unmeasured: after 20 s the JIT compiler still took a third of the JVM's CPU in the measured phase, after 60 s a
 * twelfth (the report gives its share).
 *
 * <p>Latency: profiles wait in post-purchase; {@code order.shipped} events are posted at a steady
 * rate, one per profile; the time from the event row's {@code received_at} (the 202) to the
 * {@code created_at} of the shipping-notice outbox row that the non-interrupting event subprocess
 * writes (both stamped by the app's clock). Ingest: events posted as fast as 8 clients can, and
 * published to the AMQP queue, until all are stored.
 */
@Tag("benchmark")
class EventLatencyBenchmarkTest extends AppTestBase {

  static {
    // the emails the journey sends are built by Overture and written to the file outbox: GreenMail on the
    // same two cores would measure the SMTP sink (it takes about 140 messages/s here), which in production
    // runs elsewhere (docs/performance.md)
    TestMail.fileOutboxForNewContexts(true);
  }

  @DynamicPropertySource
  static void emailToTheFileOutbox(DynamicPropertyRegistry registry) {
    // named: outside the dev profile an email channel without SMTP has no provider
    registry.add("overture.delivery.email.provider", () -> "file");
  }

  @AfterAll
  static void smtpBackForOtherTests() {
    TestMail.fileOutboxForNewContexts(false);
  }

  private static final Logger log = LoggerFactory.getLogger(EventLatencyBenchmarkTest.class);

  @Autowired JdbcClient jdbc;
  @Autowired ObjectMapper json;
  @Autowired RabbitTemplate rabbit;
  @Autowired EventsProperties props;
  @Autowired org.springframework.integration.endpoint.SourcePollingChannelAdapter outboxPoller;

  // the load generator shares the two cores with the app: blocking keep-alive connections on a few threads cost it
  // about a third of what the JDK HttpClient's asynchronous machinery did (15 % of the JVM's CPU at 200/s)
  static {
    System.setProperty("http.maxConnections", "16");
  }

  private final ExecutorService senders = Executors.newFixedThreadPool(16);

  /** What the load generator keeps of a response. */
  record Response(int statusCode, String body) {}
  private final int rate = Integer.getInteger("benchmark.rate", 20);
  private final int seconds = Integer.getInteger("benchmark.seconds", 5);
  private final int ingest = Integer.getInteger("benchmark.ingest", 500);
  private final int warmup = Integer.getInteger("benchmark.warmup", 60);

  /** The measured events (event id LIKE ?) joined to the shipping notices they caused. */
  private static final String SHIPPED = "FROM customer_event e JOIN outbox_message o ON o.profile_id = e.profile_id"
      + " AND o.creative_key = 'order-shipped' WHERE e.event_id LIKE ?";
  private static final String BY_SECOND = " GROUP BY DATE_FORMAT(e.received_at, '%H:%i:%s')";

  @Test
  void eventToReactionLatencyAndIngestRate() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    int n = rate * seconds;
    int warm = rate * warmup;
    // the same path at the same rate first, unmeasured: the JIT is still compiling it for tens of seconds after the
    // start (a fifth of the CPU during the measured phase without this), which a long-running node is not
    List<String> warmProfiles = warm > 0 ? waitingProfiles(run + "-warm", warm) : List.of();
    List<String> profiles = waitingProfiles(run, n);
    if (warm > 0) {
      postShippedAtRate(run + "-warm", warmProfiles);
      await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> reactions(run + "-warm") >= warm);
      settled();
    }
    if (!Boolean.parseBoolean(System.getProperty("benchmark.dispatch", "true"))) {
      // diagnostic: the reactions alone, without the dispatcher sending what they queue
      outboxPoller.stop();
    }
    Map<String, Long> workBefore = databaseWork();
    long[] cpuBefore = cpu();
    Map<String, Long> threadsBefore = cpuByThreadGroup();
    postShippedAtRate(run, profiles);
    await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> reactions(run) >= n);
    // what the measured events cost, their shipping notices dispatched (the file outbox) and correlated as outcomes
    settled();
    long[] cpuAfter = cpu();
    String byThreads = perEvent(threadsBefore, cpuByThreadGroup(), n);
    double appCpuPerEvent = (cpuAfter[0] - cpuBefore[0]) / 1e6 / n;
    double dbCpuPerEvent = cpuAfter[1] < 0 ? Double.NaN : (cpuAfter[1] - cpuBefore[1]) / (double) n;
    double statementsPerEvent = (cpuAfter[2] - cpuBefore[2]) / (double) n;
    String shipped = "bench-" + run + "-shipped-%";
    List<Long> latencies = jdbc.sql("SELECT TIMESTAMPDIFF(MICROSECOND, e.received_at, o.created_at) " + SHIPPED + " ORDER BY 1")
        .param(shipped).query(Long.class).list();

    // what the pipeline sustained: reactions per second from the first event accepted to the last reaction
    // (the posting rate while the machine keeps up; its capacity when the rate is above it)
    double sustained = jdbc.sql("SELECT COUNT(*) / (TIMESTAMPDIFF(MICROSECOND, MIN(e.received_at), MAX(o.created_at)) / 1e6) "
            + SHIPPED)
        .param(shipped).query(Double.class).single();
    // the app's clock (UTC here), to line the measured phase up with CPU or database samples taken beside the run
    String window = jdbc.sql("SELECT CONCAT(DATE_FORMAT(MIN(e.received_at), '%H:%i:%s'), ' to ', "
            + "DATE_FORMAT(MAX(o.created_at), '%H:%i:%s')) " + SHIPPED)
        .param(shipped).query(String.class).single();

    // where the tail sits: the seconds (by acceptance) with the slowest reactions; a stall shows as a few bad
    // seconds, a machine at its limit as many
    String slowest = "MAX(TIMESTAMPDIFF(MICROSECOND, e.received_at, o.created_at))";
    List<String> worst = jdbc.sql("SELECT CONCAT(DATE_FORMAT(e.received_at, '%H:%i:%s'), ' n=', COUNT(*), ' max=', ROUND("
            + slowest + " / 1000), ' ms') " + SHIPPED + BY_SECOND + " ORDER BY " + slowest + " DESC LIMIT 8")
        .param(shipped).query(String.class).list();
    // [seconds with a reaction over 100 ms, seconds that accepted an event]
    long[] slowSeconds = jdbc.sql("SELECT COALESCE(SUM(m > 100000), 0), COUNT(*) FROM (SELECT " + slowest + " m "
            + SHIPPED + BY_SECOND + ") t")
        .param(shipped).query((rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)}).single();

    Map<String, Long> workAfter = databaseWork();
    StringBuilder work = new StringBuilder();
    workAfter.forEach((k, v) -> work.append(work.isEmpty() ? "" : ", ").append(k.toLowerCase(java.util.Locale.ROOT))
        .append(' ').append(String.format(java.util.Locale.ROOT, "%.1f", (v - workBefore.get(k)) / (double) n)));
    double restRate = restIngestRate(run);
    double amqpRate = amqpIngestRate(run);

    String report = """
        Event-to-reaction latency, %d order.shipped events at %d/s (accepted -> next step's outbox row):
          p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms
        Reactions sustained: %.0f/s (first event accepted to last reaction), measured %s
        Seconds with a reaction over 100 ms: %d of %d; the worst: %s
        CPU per event, from its post to its notice dispatched: this JVM (app and load generator) %.2f ms, database %.2f ms;
          statements the database received per event (its Questions counter, idle pollers included): %.1f
          this JVM's CPU per event by thread group (ms): %s
          the database's work per event (its status counters, idle pollers included; the machine's speed does not move them, a saturated run's larger batches do): %s
        Sustained ingest: REST %.0f events/s (%d events, 8 clients), AMQP %.0f events/s (%d messages)
        """.formatted(latencies.size(), rate, pct(latencies, 50), pct(latencies, 95), pct(latencies, 99), pct(latencies, 100),
        sustained, window, slowSeconds[0], slowSeconds[1], String.join("; ", worst), appCpuPerEvent, dbCpuPerEvent,
        statementsPerEvent, byThreads, work, restRate, ingest, amqpRate, ingest);
    log.info("\n{}", report);
    Files.createDirectories(Path.of("target/benchmark"));
    Files.writeString(Path.of("target/benchmark/events.txt"), report);
    assertThat(latencies).hasSize(n);
  }

  /** One order.shipped per profile at a steady rate, every 1/rate seconds; returns when all were accepted. */
  private void postShippedAtRate(String run, List<String> profiles) throws Exception {
    int n = profiles.size();
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    List<CompletableFuture<Response>> sent = new ArrayList<>();
    AtomicInteger next = new AtomicInteger();
    ticker.scheduleAtFixedRate(() -> {
      int i = next.getAndIncrement();
      if (i < n) {
        synchronized (sent) {
          sent.add(post("/api/events", Map.of("eventId", "bench-" + run + "-shipped-" + i, "type", "order.shipped",
              "profileId", profiles.get(i))));
        }
      }
    }, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
    await().atMost(Duration.ofSeconds(n / rate + 60)).until(() -> next.get() >= n);
    ticker.shutdownNow();
    synchronized (sent) {
      for (CompletableFuture<Response> f : sent) {
        assertThat(f.get().statusCode()).isEqualTo(202);
      }
    }
  }

  /**
   * The server's counters of what it did, whoever asked (so on a server of its own): page requests to the buffer
   * pool, the handler's index look-ups, index steps and row reads of scans, its writes, temporary tables and commits. Two codes that sustained the
   * same rate, whose CPU per event differs while these agree, differ in the machine, not in the work.
   */
  private Map<String, Long> databaseWork() {
    Map<String, Long> counters = new java.util.TreeMap<>();
    jdbc.sql("SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ("
            + "'COM_COMMIT', 'INNODB_BUFFER_POOL_READ_REQUESTS', 'HANDLER_READ_KEY', 'HANDLER_READ_NEXT', "
            + "'HANDLER_READ_RND_NEXT', 'HANDLER_WRITE', 'HANDLER_UPDATE', 'CREATED_TMP_TABLES')")
        .query((rs, i) -> Map.entry(rs.getString(1), rs.getLong(2))).list()
        .forEach(e -> counters.put(e.getKey(), e.getValue()));
    return counters;
  }

  /**
   * [this JVM's CPU time in ns, the database server's CPU time in ms (-1 when its process cannot be read: another
   * host), the server's Questions counter]. The server's process is found through its pid file.
   */
  private long[] cpu() {
    long jvm = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
    long questions = jdbc.sql("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'QUESTIONS'")
        .query(Long.class).single();
    long db = -1;
    try {
      String pidFile = jdbc.sql("SELECT @@pid_file").query(String.class).single();
      Path file = Path.of(pidFile).isAbsolute() ? Path.of(pidFile)
          : Path.of(jdbc.sql("SELECT @@datadir").query(String.class).single()).resolve(pidFile);
      String pid = Files.readString(file).trim();
      db = cpuNanos(Files.readString(Path.of("/proc", pid, "stat"))) / 1_000_000;
    } catch (IOException | RuntimeException e) {
      log.info("The database server's CPU time is not readable here: {}", e.toString());
    }
    return new long[] {jvm, db, questions};
  }

  /**
   * The CPU time of this JVM's live threads by group, in ns, from /proc (so the garbage collector's and the JIT
   * compiler's threads count too): a pool's threads together, digits dropped from the kernel's 15-character name.
   */
  private static Map<String, Long> cpuByThreadGroup() {
    Map<String, Long> groups = new java.util.TreeMap<>();
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
          groups.merge(name, cpuNanos(stat), Long::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended between the listing and the read
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return groups;
  }

  /** User and system CPU of a process or thread from its {@code /proc/.../stat} line, in ns. */
  private static long cpuNanos(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // utime and stime, fields 14 and 15 of proc(5), in clock ticks of 10 ms
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
  }

    /** The groups that spent at least 0.05 ms per event between the two readings, most first. */
  private static String perEvent(Map<String, Long> before, Map<String, Long> after, int events) {
    return after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 1e6 / events))
        .filter(e -> e.getValue() >= 0.05)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .map(e -> "%s %.2f".formatted(e.getKey(), e.getValue()))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** No message waiting to be sent and no event waiting to be correlated. */
  private void settled() {
    await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1)).until(() -> jdbc.sql(
            "SELECT COUNT(*) FROM outbox_message WHERE status IN ('pending', 'sending')").query(Integer.class).single() == 0
        && jdbc.sql("SELECT COUNT(*) FROM customer_event WHERE processed_at IS NULL").query(Integer.class).single() == 0);
  }

  /** n profiles, each in post-purchase waiting for its three-day timer after the thank-you email. */
  private List<String> waitingProfiles(String run, int n) throws Exception {
    List<String> ids = new ArrayList<>();
    List<Map<String, Object>> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(Map.of("eventId", "bench-" + run + "-order-" + i, "type", "order.completed",
          "identities", Map.of("email", "bench-" + run + "-" + i + "@example.com")));
      if (batch.size() == 200 || i == n - 1) {
        Response r = post("/api/events/batch", Map.of("events", batch)).get();
        assertThat(r.statusCode()).isEqualTo(202);
        json.readTree(r.body()).get("events").forEach(e -> ids.add(e.get("profileId").asText()));
        batch.clear();
      }
    }
    await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1)).until(() -> jdbc.sql("""
            SELECT COUNT(*) FROM outbox_message o JOIN customer_event e ON e.profile_id = o.profile_id
            WHERE e.event_id LIKE ? AND o.creative_key = 'order-thank-you'""")
        .param("bench-" + run + "-order-%").query(Integer.class).single() >= n);
    // measure on a settled system: the thank-you emails sent and their outcome events correlated, so the
    // set-up's backlog does not queue in front of the measured events
    settled();
    return ids;
  }

  private int reactions(String run) {
    return jdbc.sql("SELECT COUNT(*) " + SHIPPED)
        .param("bench-" + run + "-shipped-%").query(Integer.class).single();
  }

  private double restIngestRate(String run) throws Exception {
    String profileId = jdbc.sql("SELECT profile_id FROM customer_event WHERE event_id LIKE ? LIMIT 1")
        .param("bench-" + run + "-order-%").query(String.class).single();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    AtomicInteger counter = new AtomicInteger();
    long start = System.nanoTime();
    List<java.util.concurrent.Future<?>> done = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      done.add(clients.submit(() -> {
        for (int i = counter.getAndIncrement(); i < ingest; i = counter.getAndIncrement()) {
          Response r = post("/api/events", Map.of("eventId", "bench-" + run + "-rest-" + i, "type", "bench.ingested",
              "profileId", profileId)).join();
          assertThat(r.statusCode()).isEqualTo(202);
        }
        return null;
      }));
    }
    for (java.util.concurrent.Future<?> f : done) {
      f.get();
    }
    clients.shutdown();
    return ingest / ((System.nanoTime() - start) / 1e9);
  }

  private double amqpIngestRate(String run) throws Exception {
    long start = System.nanoTime();
    MessageProperties mp = new MessageProperties();
    mp.setContentType("application/json");
    for (int i = 0; i < ingest; i++) {
      byte[] body = json.writeValueAsBytes(Map.of("eventId", "bench-" + run + "-amqp-" + i, "type", "bench.ingested",
          "identities", Map.of("anonymousId", "bench-" + run + "-amqp-" + (i % 100))));
      rabbit.send("", props.amqp().queue(), new Message(body, mp));
    }
    await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> jdbc.sql(
        "SELECT COUNT(*) FROM customer_event WHERE event_id LIKE ?").param("bench-" + run + "-amqp-%").query(Integer.class).single() >= ingest);
    return ingest / ((System.nanoTime() - start) / 1e9);
  }

  private CompletableFuture<Response> post(String path, Object body) {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(bytes.length);
        c.setRequestProperty("Authorization", "Bearer " + API_KEY);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
          out.write(bytes);
        }
        int status = c.getResponseCode();
        // read to the end, so the connection goes back to the keep-alive cache
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
          return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, senders);
  }

  private static double pct(List<Long> sortedMicros, int p) {
    if (sortedMicros.isEmpty()) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sortedMicros.size()) - 1;
    return sortedMicros.get(Math.max(0, Math.min(i, sortedMicros.size() - 1))) / 1000.0;
  }
}
