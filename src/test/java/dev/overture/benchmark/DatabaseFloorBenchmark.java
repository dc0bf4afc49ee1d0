package dev.overture.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.overture.support.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the database alone allows: plain JDBC loops, no Spring and no engine, of the statement shapes a reaction is
 * made of, and of one order.shipped reaction's worth of them, against the MariaDB the tests use (embedded, or
 * {@code DB_URL}). The tables are the real ones: our Flyway migrations and Camunda's own MySQL/MariaDB create script,
 * filled with waiting instances shaped as post-purchase's are (an instance execution per profile, keyed by the
 * profile id, a child execution, two message subscriptions, two variables). So the loop is the floor under the
 * pipeline: what is left when Java, Spring, Camunda's object model and HTTP cost nothing.
 *
 * <p>Each configuration runs {@code -Dbenchmark.seconds} (3) on 1, 4 and 8 threads, three times, interleaved, and the
 * report gives the median of the three; then each statement of the correlation alone, one thread,
 * {@code -Dbenchmark.stepSeconds} (1) three times. {@code -Dbenchmark.profiles} (10,000) waiting instances. The
 * database's CPU is read from {@code /proc/<pid>/stat} of the server (found through {@code @@pid_file}); on another
 * host it reads as NaN. Tagged "benchmark": only {@code -Pbenchmark} runs it. The report also goes to
 * {@code target/benchmark/database-floor.txt}; figures and command in docs/performance.md.
 */
@Tag("benchmark")
class DatabaseFloorBenchmark {

  private static final Logger log = LoggerFactory.getLogger(DatabaseFloorBenchmark.class);
  private static final int SECONDS = Integer.getInteger("benchmark.seconds", 3);
  private static final int STEP_SECONDS = Integer.getInteger("benchmark.stepSeconds", 1);
  private static final int PROFILES = Integer.getInteger("benchmark.profiles", 10_000);
  private static final int RUNS = 3;
  private static final int[] THREADS = {1, 4, 8};
  private static final String CONTEXT = "{\"profile\":{\"id\":\"%s\",\"attributes\":{\"firstName\":\"Ada\",\"locale\":\"en\"}},"
      + "\"event\":{\"type\":\"order.shipped\",\"properties\":{\"orderId\":\"o-1\",\"carrier\":\"dhl\",\"tracking\":\"123456789\"}}}";

  private HikariDataSource db;
  private String fsyncCounter = "?";
  /** Events inserted for the correlation-only loop, taken in order by its threads. */
  private long[] pendingEvents = new long[0];
  private int[] pendingProfiles = new int[0];
  private final AtomicInteger nextEvent = new AtomicInteger();
  /** [this thread's number, the loop's threads, its next profile]; see profile(). */
  private static final ThreadLocal<int[]> SLOT = ThreadLocal.withInitial(() -> new int[] {0, 1, 0});

  /** One unit of a loop: a statement shape, or a whole reaction; returns the statements it ran (commits apart). */
  private interface Unit {
    int run(Connection c) throws SQLException;
  }

  private record Shape(String name, boolean autocommit, int perCommit, Unit unit) {}

  private record Result(double perSecond, double dbCpuUs, double jvmCpuUs, double questions, double fsyncsPerCommit) {}

  @Test
  void measuresWhatOneMariaDbDoesPerSecondOfTheStatementsOfAReaction() throws Exception {
    db = new HikariDataSource();
    db.setJdbcUrl(TestDatabases.newDatabase());
    db.setUsername(TestDatabases.user());
    db.setPassword(TestDatabases.password());
    db.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    db.setMaximumPoolSize(9);
    // as the app's pool does (application.yml): prepared once per connection, executed in the binary protocol
    db.addDataSourceProperty("useServerPrepStmts", "true");
    db.addDataSourceProperty("cachePrepStmts", "true");
    try (HikariDataSource pool = db) {
      try {
        measureAll();
      } finally {
        stopEmbeddedServer();
      }
    }
  }

  private void measureAll() throws Exception {
    schema();
    long setUp = System.nanoTime();
    data();
    log.info("{} waiting instances set up in {} s", PROFILES, (System.nanoTime() - setUp) / 1_000_000_000);

    List<Shape> shapes = List.of(
        new Shape("point select by key", true, 0, this::pointSelect),
        new Shape("indexed range select", true, 0, this::rangeSelect),
        new Shape("single-row insert", false, 50, this::insert),
        new Shape("update by key", false, 50, this::update),
        new Shape("commit (1-row insert, own transaction)", false, 1, this::insert),
        new Shape("order.shipped correlation (16 + commit)", false, 1, this::correlation),
        new Shape("ingest + correlation (19 + 2 commits)", false, 0, this::ingestAndCorrelation));

    // warm-up: the JIT, the driver's prepared statements and the buffer pool
    for (Shape s : shapes) {
      measure(s, 4, 1);
    }
    Map<String, List<Result>> results = new LinkedHashMap<>();
    for (int run = 0; run < RUNS; run++) {
      for (Shape s : shapes) {
        for (int threads : THREADS) {
          results.computeIfAbsent(s.name() + "\n" + threads, k -> new ArrayList<>()).add(measure(s, threads, SECONDS));
        }
      }
    }
    // each statement of the correlation alone, one thread, 50 to a commit: where the reaction's database time goes
    storeEvents(5000);
    Map<String, List<Result>> steps = new LinkedHashMap<>();
    for (int run = 0; run < RUNS; run++) {
      for (Named n : CORRELATION) {
        Shape alone = new Shape(n.name(), false, 50, c -> {
          int e = Math.floorMod(nextEvent.getAndIncrement(), pendingEvents.length);
          n.step().run(c, pendingEvents[e], pendingProfiles[e]);
          return 1;
        });
        steps.computeIfAbsent(n.name() + "\n1", k -> new ArrayList<>()).add(measure(alone, 1, STEP_SECONDS));
      }
    }
    String report = report(results, SECONDS) + "\nEach statement of the correlation alone (1 thread, 50 to a commit):\n"
        + report(steps, STEP_SECONDS);
    log.info("The database floor\n{}", report);
    Files.createDirectories(Path.of("target/benchmark"));
    Files.writeString(Path.of("target/benchmark/database-floor.txt"), report);
    assertThat(results.values()).allSatisfy(r -> assertThat(r).allSatisfy(x -> assertThat(x.perSecond()).isPositive()));
  }

  /**
   * TestDatabases stops its embedded server from Spring Boot's shutdown handlers, which never run in a JVM that
   * started no Spring application, as this one: each run left a mariadbd behind, using CPU. Without DB_URL the
   * server is this JVM's own, so it is shut down here.
   */
  private void stopEmbeddedServer() {
    String external = System.getenv("DB_URL");
    if (external != null && !external.isBlank()) {
      return;
    }
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    } catch (SQLException e) {
      // the server may drop the connection while it answers
      log.debug("SHUTDOWN of the embedded server: {}", e.toString());
    }
  }

  // ---- the shapes --------------------------------------------------------------------------------------------

  /**
   * The next profile of this thread: thread t of T takes only the profiles p with p % T == t, so two threads never
   * wait for each other's rows (a reaction's rows are its profile's), and a descheduled thread holding a transaction
   * open cannot deadlock with one that wrapped around the profiles meanwhile.
   */
  private int profile() {
    int[] slot = SLOT.get();
    int perThread = PROFILES / slot[1];
    return slot[0] + slot[1] * (slot[2]++ % perThread);
  }

  private int pointSelect(Connection c) throws SQLException {
    query(c, "select * from ACT_RU_EXECUTION where ID_ = ?", "pi-" + profile());
    return 1;
  }

  private int rangeSelect(Connection c) throws SQLException {
    query(c, "select * from ACT_RU_EXECUTION where PROC_INST_ID_ = ?", "pi-" + profile());
    return 1;
  }

  private int insert(Connection c) throws SQLException {
    outboxInsert(c, profile());
    return 1;
  }

  private int update(Connection c) throws SQLException {
    int p = profile();
    update(c, "update ACT_RU_EXECUTION set REV_ = REV_ + 1, SEQUENCE_COUNTER_ = SEQUENCE_COUNTER_ + 1, ACT_INST_ID_ = ? where ID_ = ?",
        "act-" + ThreadLocalRandom.current().nextInt(), "pi-" + p);
    return 1;
  }

  /**
   * The statements of one order.shipped correlation (target/statement-budgets.txt), in its order, on an event row
   * stored before the loop started: 4 ours to take the event, 6 Camunda's to find the subscription and load the
   * instance, the profile for the message context, the outbox row, Camunda's 2 updates, the row processed, the
   * journey log's counter.
   */
  private int correlation(Connection c) throws SQLException {
    int n = nextEvent.getAndIncrement();
    if (n >= pendingEvents.length) {
      throw new IllegalStateException("more correlations than stored events: store more in measure()");
    }
    return correlate(c, pendingEvents[n], pendingProfiles[n]);
  }

  private int ingestAndCorrelation(Connection c) throws SQLException {
    int p = profile();
    // ingest: the API key, the profile's canonical id, the insert and its commit (the event writer's)
    query(c, "SELECT id, name, scopes, created_at, last_used_at FROM api_key WHERE key_hash = ? AND revoked_at IS NULL", "f".repeat(64));
    query(c, "SELECT m.merged_id, p.id FROM profile_merge m JOIN profile p ON p.id = m.survivor_id WHERE m.merged_id IN (?) "
        + "UNION ALL SELECT p.id, p.id FROM profile p WHERE p.id IN (?) AND NOT EXISTS "
        + "(SELECT 1 FROM profile_merge m WHERE m.merged_id = p.id)", profileId(p), profileId(p));
    long event = insertEvent(c, p);
    c.commit();
    int statements = 3 + correlate(c, event, p);
    c.commit();
    return statements;
  }

  /** One statement of the correlation, on the event row and its profile. */
  private interface Step {
    void run(Connection c, long event, int p) throws SQLException;
  }

  private record Named(String name, Step step) {}

  private static final List<Named> CORRELATION = List.of(
      new Named("ours: lock the event row, reading its hold check, merged ids and waiting execution along", (c, event, p) -> query(c,
          "SELECT e.id, e.event_id, e.type, e.profile_id, e.occurred_at, e.properties, "
              + "EXISTS (SELECT 1 FROM customer_event w WHERE w.profile_id = e.profile_id AND w.processed_at IS NULL "
              + "AND w.attempts < ? AND w.id NOT IN (?) AND w.id < e.id) AS held, "
              + "(SELECT MAX(CASE WHEN w.attempts > 0 THEN w.claimed_until END) FROM customer_event w WHERE w.profile_id = e.profile_id "
              + "AND w.processed_at IS NULL AND w.attempts < ? AND w.id NOT IN (?)) AS retry_at, "
              + "(SELECT JSON_ARRAYAGG(pm.merged_id ORDER BY pm.id) FROM profile_merge pm WHERE pm.survivor_id = e.profile_id) AS aliases, "
              + "COALESCE((SELECT STRAIGHT_JOIN JSON_ARRAYAGG(JSON_ARRAY(EVT.EXECUTION_ID_, RES.PROC_INST_ID_) ORDER BY EVT.EXECUTION_ID_) "
              + "FROM ACT_RU_EXECUTION INST JOIN ACT_RU_EXECUTION RES ON RES.PROC_INST_ID_ = INST.ID_ "
              + "JOIN ACT_RU_EVENT_SUBSCR EVT ON EVT.EXECUTION_ID_ = RES.ID_ WHERE INST.BUSINESS_KEY_ = e.profile_id "
              + "AND EVT.EVENT_TYPE_ = 'message' AND EVT.EVENT_NAME_ = e.type AND RES.SUSPENSION_STATE_ = 1), '[]') AS waits "
              + "FROM customer_event e WHERE e.id IN (?) AND e.processed_at IS NULL ORDER BY e.id FOR UPDATE",
          5, event, 5, event, event)),
      new Named("Camunda: the event subscription", (c, event, p) -> query(c,
          "select * from ACT_RU_EVENT_SUBSCR where (EVENT_TYPE_ = ?) and (EVENT_NAME_ = ?) and (EXECUTION_ID_ = ?)",
          "message", "order.shipped", "pi-" + p)),
      new Named("Camunda: the execution", (c, event, p) -> query(c,
          "select * from ACT_RU_EXECUTION where ID_ = ?", "pi-" + p)),
      new Named("Camunda: the process definition", (c, event, p) -> query(c,
          "select * from ACT_RE_PROCDEF where ID_ = ?", "post-purchase:1:def")),
      new Named("Camunda: the variables", (c, event, p) -> query(c,
          "SELECT RES.*, (case when RES.TASK_ID_ is not null and RES.EXECUTION_ID_ is not null then EXECUTION.ACT_INST_ID_ "
              + "else PROC_EXECUTION.ACT_INST_ID_ end) ACT_INST_ID_ FROM ACT_RU_VARIABLE RES "
              + "left join ACT_RU_EXECUTION EXECUTION on RES.EXECUTION_ID_ = EXECUTION.ID_ "
              + "left join ACT_RU_EXECUTION PROC_EXECUTION on PROC_EXECUTION.ID_ = RES.PROC_INST_ID_ "
              + "WHERE RES.EXECUTION_ID_ in (?) and RES.CASE_EXECUTION_ID_ is null order by RES.ID_ asc", "pi-" + p)),
      new Named("Camunda: the execution tree", (c, event, p) -> query(c,
          "select * from ACT_RU_EXECUTION where PROC_INST_ID_ = ?", "pi-" + p)),
      new Named("ours: the profile (message context)", (c, event, p) -> query(c,
          "SELECT m.merged_id, p.id, p.attributes, p.created_at, p.updated_at FROM profile_merge m "
              + "JOIN profile p ON p.id = m.survivor_id WHERE m.merged_id IN (?) UNION ALL SELECT p.id, p.id, p.attributes, p.created_at, "
              + "p.updated_at FROM profile p WHERE p.id IN (?) AND NOT EXISTS "
              + "(SELECT 1 FROM profile_merge m WHERE m.merged_id = p.id)", profileId(p), profileId(p))),
      new Named("ours: the profile's identities (message context)", (c, event, p) -> query(c,
          "SELECT profile_id, type, value FROM profile_identity WHERE profile_id IN (?) ORDER BY created_at, value", profileId(p))),
      new Named("ours: the outbox insert", (c, event, p) -> outboxInsert(c, p)),
      new Named("Camunda: the variable update", (c, event, p) -> update(c,
          "update ACT_RU_VARIABLE set REV_ = REV_ + 1, TEXT_ = ?, LONG_ = ? where ID_ = ?", "e-" + event, event, "var-a-" + p)),
      new Named("Camunda: the execution update", (c, event, p) -> update(c,
          "update ACT_RU_EXECUTION set REV_ = REV_ + 1, ACT_ID_ = ?, ACT_INST_ID_ = ?, SEQUENCE_COUNTER_ = SEQUENCE_COUNTER_ + 1 "
              + "where ID_ = ?", "waitForShipping", "act-" + event, "pi-" + p)),
      new Named("ours: the row processed", (c, event, p) -> update(c,
          "UPDATE customer_event SET processed_at = ?, claimed_until = NULL, last_error = NULL WHERE id IN (?)",
          Timestamp.from(Instant.now()), event)),
      new Named("ours: the journey log's counter", (c, event, p) -> update(c,
          "INSERT INTO journey_element_count (journey_key, version, element_id, entered_hour, shard, entered, completed, cancelled) "
              + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE entered = entered + VALUES(entered), "
              + "completed = completed + VALUES(completed), cancelled = cancelled + VALUES(cancelled)",
          "post-purchase", 1, "shippingNotice", Timestamp.from(Instant.now().truncatedTo(ChronoUnit.HOURS)),
          ThreadLocalRandom.current().nextInt(4), 1, 1, 0)));

  /**
   * The statements of one order.shipped correlation (target/statement-budgets.txt), in its order: ours to take the
   * event with what it reads along, 5 Camunda's to load the subscription and the instance, the profile for the
   * message context, the outbox row, Camunda's 2 updates, the row processed, the journey log's counter.
   */
  private int correlate(Connection c, long event, int p) throws SQLException {
    for (Named n : CORRELATION) {
      n.step().run(c, event, p);
    }
    return CORRELATION.size();
  }

  private static void outboxInsert(Connection c, int p) throws SQLException {
    Timestamp now = Timestamp.from(Instant.now());
    update(c, "INSERT INTO outbox_message (id, profile_id, channel, purpose, creative_key, journey_key, process_instance_id, "
        + "activity_id, status, attempts, due_at, created_at, updated_at, params, context) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?)",
        UUID.randomUUID().toString(), profileId(p), "email", "transactional", "shipping-notice", "post-purchase", "pi-" + p,
        "shippingNotice", now, now, now, null, CONTEXT.formatted(profileId(p)));
  }

  private long insertEvent(Connection c, int p) throws SQLException {
    Timestamp now = Timestamp.from(Instant.now());
    try (PreparedStatement s = c.prepareStatement("INSERT INTO customer_event (event_id, type, profile_id, occurred_at, received_at, "
        + "properties, source, claimed_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      bind(s, UUID.randomUUID().toString(), "order.shipped", profileId(p), now, now,
          "{\"orderId\":\"o-1\",\"carrier\":\"dhl\",\"tracking\":\"123456789\"}", "api", Timestamp.from(Instant.now().plusSeconds(60)));
      s.executeUpdate();
      try (ResultSet keys = s.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  // ---- the loop ----------------------------------------------------------------------------------------------

  private Result measure(Shape shape, int threads, int seconds) throws Exception {
    boolean correlationOnly = shape.name().startsWith("order.shipped");
    if (correlationOnly) {
      storeEvents(seconds * 3000 + 1000);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long[] before = counters();
      long start = System.nanoTime();
      long end = start + seconds * 1_000_000_000L;
      List<Future<Long>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int slot = t;
        workers.add(pool.submit(() -> {
          SLOT.set(new int[] {slot, threads, ThreadLocalRandom.current().nextInt(PROFILES)});
          long done = 0;
          try (Connection c = db.getConnection()) {
            c.setAutoCommit(shape.autocommit());
            int inTransaction = 0;
            while (System.nanoTime() < end) {
              shape.unit().run(c);
              done++;
              if (shape.perCommit() > 0 && ++inTransaction == shape.perCommit()) {
                c.commit();
                inTransaction = 0;
              }
            }
            if (!shape.autocommit()) {
              c.commit();
            }
            c.setAutoCommit(true);
          }
          return done;
        }));
      }
      long units = 0;
      for (Future<Long> w : workers) {
        units += w.get();
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      long[] after = counters();
      double commits = after[4] - before[4];
      return new Result(units / elapsed,
          before[1] < 0 ? Double.NaN : (after[1] - before[1]) * 1000.0 / units,
          (after[0] - before[0]) / 1000.0 / units,
          (after[2] - before[2]) / (double) units,
          commits == 0 ? Double.NaN : (after[3] - before[3]) / commits);
    } finally {
      pool.shutdownNow();
      if (correlationOnly) {
        // the events the loop did not reach would otherwise sit in every later hold check of their profiles
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
          s.executeUpdate("UPDATE customer_event SET processed_at = NOW(3) WHERE processed_at IS NULL");
        }
      }
    }
  }

  /** Inserts n unprocessed order.shipped events, one per profile in turn, for the correlation-only loop. */
  private void storeEvents(int n) throws SQLException {
    long[] ids = new long[n];
    int[] profiles = new int[n];
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      for (int i = 0; i < n; i++) {
        profiles[i] = profile();
        ids[i] = insertEvent(c, profiles[i]);
        if (i % 500 == 499) {
          c.commit();
        }
      }
      c.commit();
      c.setAutoCommit(true);
    }
    pendingProfiles = profiles;
    pendingEvents = ids;
    nextEvent.set(0);
  }

  /**
   * [this JVM's CPU in ns, the server's CPU in ms (-1 when its process is not readable: another host), Questions,
   * redo log fsyncs, commits].
   */
  private long[] counters() throws SQLException {
    long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    Map<String, Long> status = new LinkedHashMap<>();
    String pidFile;
    String dataDir;
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
          + "WHERE VARIABLE_NAME IN ('QUESTIONS', 'INNODB_OS_LOG_FSYNCS', 'INNODB_DATA_FSYNCS', 'COM_COMMIT')")) {
        while (r.next()) {
          status.put(r.getString(1).toUpperCase(), r.getLong(2));
        }
      }
      try (ResultSet r = s.executeQuery("SELECT @@pid_file, @@datadir")) {
        r.next();
        pidFile = r.getString(1);
        dataDir = r.getString(2);
      }
    }
    long dbCpu = -1;
    try {
      Path file = Path.of(pidFile).isAbsolute() ? Path.of(pidFile) : Path.of(dataDir).resolve(pidFile);
      String pid = Files.readString(file).trim();
      String[] stat = Files.readString(Path.of("/proc", pid, "stat")).replaceFirst("^.*\\) ", "").split(" ");
      // utime and stime, fields 14 and 15 of proc(5), in clock ticks of 10 ms
      dbCpu = (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) * 10;
    } catch (IOException | RuntimeException e) {
      log.info("The database server's CPU time is not readable here: {}", e.toString());
    }
    // the redo log's own counter where the server has it, else every InnoDB fsync (data files too)
    long fsyncs = status.getOrDefault("INNODB_OS_LOG_FSYNCS", status.getOrDefault("INNODB_DATA_FSYNCS", 0L));
    fsyncCounter = status.containsKey("INNODB_OS_LOG_FSYNCS") ? "Innodb_os_log_fsyncs" : "Innodb_data_fsyncs";
    return new long[] {jvm, dbCpu, status.getOrDefault("QUESTIONS", 0L), fsyncs, status.getOrDefault("COM_COMMIT", 0L)};
  }

  private String report(Map<String, List<Result>> results, int seconds) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT VERSION(), @@innodb_flush_log_at_trx_commit, @@log_bin, @@sync_binlog, "
             + "@@innodb_buffer_pool_size, @@innodb_flush_method")) {
      r.next();
      out.append("MariaDB %s, innodb_flush_log_at_trx_commit=%s, log_bin=%s, sync_binlog=%s, buffer pool %d MB, flush method %s%n"
          .formatted(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getLong(5) >> 20, r.getString(6)));
    }
    out.append(("%d waiting instances; each figure the median of %d runs of %d s (range of the rate in brackets); CPU per unit "
        + "in µs; fsyncs from %s%n").formatted(PROFILES, RUNS, seconds, fsyncCounter));
    out.append("%-42s %7s %10s %17s %12s %12s %12s %14s%n".formatted("unit", "threads", "units/s", "(range)", "DB CPU µs",
        "JVM CPU µs", "questions", "fsyncs/commit"));
    for (Map.Entry<String, List<Result>> e : results.entrySet()) {
      String[] key = e.getKey().split("\n");
      List<Result> r = e.getValue();
      double[] rate = r.stream().mapToDouble(Result::perSecond).sorted().toArray();
      out.append("%-42s %7s %10.0f %17s %12.1f %12.1f %12.1f %14.2f%n".formatted(key[0], key[1], median(rate),
          "(%.0f-%.0f)".formatted(rate[0], rate[rate.length - 1]),
          median(r.stream().mapToDouble(Result::dbCpuUs).toArray()),
          median(r.stream().mapToDouble(Result::jvmCpuUs).toArray()),
          median(r.stream().mapToDouble(Result::questions).toArray()),
          median(r.stream().mapToDouble(Result::fsyncsPerCommit).toArray())));
    }
    return out.toString();
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }

  // ---- schema and data ---------------------------------------------------------------------------------------

  private void schema() throws IOException, SQLException {
    Flyway.configure().dataSource(db).baselineOnMigrate(true).baselineVersion("0").load().migrate();
    try (InputStream in = Flyway.class.getClassLoader()
             .getResourceAsStream("org/camunda/bpm/engine/db/create/activiti.mysql.create.engine.sql");
         Connection c = db.getConnection(); Statement s = c.createStatement()) {
      String script = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
      for (String statement : script.split(";")) {
        if (!statement.isBlank()) {
          s.execute(statement);
        }
      }
    }
  }

  private static String profileId(int p) {
    return "00000000-0000-4000-8000-%012d".formatted(p);
  }

  private void data() throws SQLException {
    Timestamp now = Timestamp.from(Instant.now());
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      update(c, "INSERT INTO api_key (name, key_hash, created_at, scopes) VALUES (?, ?, ?, ?)", "bench", "f".repeat(64), now, "admin");
      update(c, "INSERT INTO ACT_RE_PROCDEF (ID_, REV_, KEY_, VERSION_, SUSPENSION_STATE_) VALUES (?, 1, ?, 1, 1)",
          "post-purchase:1:def", "post-purchase");
      try (PreparedStatement profile = c.prepareStatement("INSERT INTO profile (id, attributes, created_at, updated_at) VALUES (?, ?, ?, ?)");
           PreparedStatement identity = c.prepareStatement("INSERT INTO profile_identity (type, value, profile_id, created_at) VALUES (?, ?, ?, ?)");
           PreparedStatement execution = c.prepareStatement("INSERT INTO ACT_RU_EXECUTION (ID_, REV_, ROOT_PROC_INST_ID_, PROC_INST_ID_, "
               + "BUSINESS_KEY_, PARENT_ID_, PROC_DEF_ID_, ACT_ID_, ACT_INST_ID_, IS_ACTIVE_, IS_CONCURRENT_, IS_SCOPE_, IS_EVENT_SCOPE_, "
               + "SUSPENSION_STATE_, CACHED_ENT_STATE_, SEQUENCE_COUNTER_, PROC_DEF_KEY_) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, 1, 0, 1, ?)");
           PreparedStatement subscription = c.prepareStatement("INSERT INTO ACT_RU_EVENT_SUBSCR (ID_, REV_, EVENT_TYPE_, EVENT_NAME_, "
               + "EXECUTION_ID_, PROC_INST_ID_, ACTIVITY_ID_, CREATED_) VALUES (?, 1, 'message', ?, ?, ?, ?, ?)");
           PreparedStatement variable = c.prepareStatement("INSERT INTO ACT_RU_VARIABLE (ID_, REV_, TYPE_, NAME_, EXECUTION_ID_, "
               + "PROC_INST_ID_, PROC_DEF_ID_, TEXT_, VAR_SCOPE_, SEQUENCE_COUNTER_) VALUES (?, 1, 'string', ?, ?, ?, ?, ?, ?, 1)")) {
        for (int p = 0; p < PROFILES; p++) {
          String id = profileId(p);
          String pi = "pi-" + p;
          bind(profile, id, "{\"firstName\":\"Ada\",\"locale\":\"en\",\"tier\":\"gold\"}", now, now);
          profile.addBatch();
          bind(identity, "email", "bench-" + p + "@example.com", id, now);
          identity.addBatch();
          bind(execution, pi, pi, pi, id, null, "post-purchase:1:def", null, null, 0, 1, "post-purchase");
          execution.addBatch();
          bind(execution, "ex-" + p, pi, pi, null, pi, "post-purchase:1:def", "waitThreeDays", "waitThreeDays:" + p, 1, 0, "post-purchase");
          execution.addBatch();
          for (String name : List.of("order.shipped", "ticket.opened")) {
            bind(subscription, name + "-" + p, name, pi, pi, name.equals("order.shipped") ? "shippingStart" : "ticketStart", now);
            subscription.addBatch();
          }
          for (String name : List.of("a", "b")) {
            bind(variable, "var-" + name + "-" + p, name, pi, pi, "post-purchase:1:def", "value-" + p, pi);
            variable.addBatch();
          }
          if (p % 500 == 499 || p == PROFILES - 1) {
            profile.executeBatch();
            identity.executeBatch();
            execution.executeBatch();
            subscription.executeBatch();
            variable.executeBatch();
            c.commit();
          }
        }
      }
      c.setAutoCommit(true);
    }
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      for (String table : List.of("profile", "profile_identity", "customer_event", "ACT_RU_EXECUTION", "ACT_RU_EVENT_SUBSCR", "ACT_RU_VARIABLE")) {
        s.execute("ANALYZE TABLE " + table);
      }
    }
  }

  // ---- JDBC --------------------------------------------------------------------------------------------------

  private static void query(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, params);
      try (ResultSet r = s.executeQuery()) {
        int columns = r.getMetaData().getColumnCount();
        while (r.next()) {
          for (int i = 1; i <= columns; i++) {
            r.getObject(i);
          }
        }
      }
    }
  }

  private static void update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, params);
      s.executeUpdate();
    }
  }

  private static void bind(PreparedStatement s, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      if (params[i] == null) {
        s.setNull(i + 1, java.sql.Types.VARCHAR);
      } else {
        s.setObject(i + 1, params[i]);
      }
    }
  }
}
