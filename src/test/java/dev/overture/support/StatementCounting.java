package dev.overture.support;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.MethodExecutionContext;
import net.ttddyy.dsproxy.listener.MethodExecutionListener;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Counts at the JDBC layer what the app's one {@link DataSource} runs (our modules, Flyway and Camunda's engine
 * alike, all on that pool), with the name of the thread that ran it: datasource-proxy wraps the pool, and a
 * {@link Recording} keeps what ran while it was open. A statement is one {@code execute}, {@code executeQuery} or
 * {@code executeUpdate}, or one entry of a JDBC batch (Camunda flushes its inserts, updates and deletes as
 * batches); {@code commit} and {@code rollback} are counted on their own. Imported by {@link AppTest}, so every
 * app test shares the one context that has it; {@code -Doverture.tests.count-statements=false} (the benchmark
 * profile) leaves the pool unwrapped, so timings do not carry the proxy.
 */
@TestConfiguration(proxyBeanMethods = false)
public class StatementCounting {

  private static final AtomicReference<Recording> CURRENT = new AtomicReference<>();

  /** Whether the app tests' DataSource is wrapped (it is unless switched off for benchmarks). */
  public static boolean enabled() {
    return Boolean.parseBoolean(System.getProperty("overture.tests.count-statements", "true"));
  }

  /** Starts recording every thread's statements; one recording at a time. */
  public static Recording start() {
    if (!enabled()) {
      throw new IllegalStateException("statement counting is off (-Doverture.tests.count-statements=false)");
    }
    Recording r = new Recording();
    if (!CURRENT.compareAndSet(null, r)) {
      throw new IllegalStateException("a statement recording is already running");
    }
    return r;
  }

  @Bean
  static BeanPostProcessor statementCountingDataSource() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!enabled() || !"dataSource".equals(beanName) || !(bean instanceof DataSource ds) || bean instanceof ProxyDataSource) {
          return bean;
        }
        return ProxyDataSourceBuilder.create("overture", ds).listener(QUERIES).methodListener(TRANSACTIONS).build();
      }
    };
  }

  private enum Kind { STATEMENT, COMMIT, ROLLBACK }

  private record Entry(String thread, Kind kind, int executions, String sql) {}

  private static final QueryExecutionListener QUERIES = new QueryExecutionListener() {
    @Override
    public void beforeQuery(ExecutionInfo info, List<QueryInfo> queries) {}

    @Override
    public void afterQuery(ExecutionInfo info, List<QueryInfo> queries) {
      Recording r = CURRENT.get();
      if (r != null) {
        String sql = queries.isEmpty() ? "?" : queries.get(0).getQuery().replaceAll("\\s+", " ").trim();
        // a prepared statement's batch is one query with a parameter set per entry; a plain statement's, one query each
        int executions = info.isBatch() ? info.getBatchSize() : 1;
        r.add(new Entry(Thread.currentThread().getName(), Kind.STATEMENT, executions,
            info.isBatch() ? "[batch of " + executions + "] " + sql : sql));
      }
    }
  };

  private static final MethodExecutionListener TRANSACTIONS = new MethodExecutionListener() {
    @Override
    public void beforeMethod(MethodExecutionContext context) {}

    @Override
    public void afterMethod(MethodExecutionContext context) {
      Recording r = CURRENT.get();
      if (r == null || !(context.getTarget() instanceof Connection)) {
        return;
      }
      String name = context.getMethod().getName();
      if (name.equals("commit") || name.equals("rollback")) {
        r.add(new Entry(Thread.currentThread().getName(), name.equals("commit") ? Kind.COMMIT : Kind.ROLLBACK, 1, name));
      }
    }
  };

  /** What ran while one recording was open, by thread. */
  public static final class Recording implements AutoCloseable {

    private final Queue<Entry> entries = new ConcurrentLinkedQueue<>();
    private volatile boolean open = true;

    private void add(Entry e) {
      if (open) {
        entries.add(e);
      }
    }

    /** Ends the recording; what it holds stays readable. */
    public Recording stop() {
      open = false;
      CURRENT.compareAndSet(this, null);
      return this;
    }

    @Override
    public void close() {
      stop();
    }

    /** Statements (batch entries each) run on the threads whose name the filter accepts. */
    public int statements(Predicate<String> threads) {
      return statements(threads, sql -> true);
    }

    /** Those of them whose SQL the second filter accepts. */
    public int statements(Predicate<String> threads, Predicate<String> sql) {
      return entries.stream().filter(e -> e.kind() == Kind.STATEMENT && threads.test(e.thread()) && sql.test(e.sql()))
          .mapToInt(Entry::executions).sum();
    }

    /** Commits on those threads. */
    public int commits(Predicate<String> threads) {
      return (int) entries.stream().filter(e -> e.kind() == Kind.COMMIT && threads.test(e.thread())).count();
    }

    /** Rollbacks on those threads. */
    public int rollbacks(Predicate<String> threads) {
      return (int) entries.stream().filter(e -> e.kind() == Kind.ROLLBACK && threads.test(e.thread())).count();
    }

    /**
     * Every thread's statements and commits in order, the threads the filter accepts marked with "*", and the
     * statements that {@code flagged} accepts with {@code flag}.
     */
    public String describe(Predicate<String> threads, Predicate<String> flagged, String flag) {
      Map<String, List<String>> byThread = new TreeMap<>();
      for (Entry e : entries) {
        String sql = e.sql();
        String line = sql.length() > 150 ? sql.substring(0, 147) + "..." : sql;
        byThread.computeIfAbsent(e.thread(), t -> new ArrayList<>()).add(e.kind() == Kind.STATEMENT && flagged.test(e.sql())
            ? line + "   " + flag : line);
      }
      StringBuilder out = new StringBuilder();
      byThread.forEach((thread, lines) -> {
        out.append(threads.test(thread) ? "  * " : "    ").append(thread).append(':').append('\n');
        lines.forEach(l -> out.append("        ").append(l).append('\n'));
      });
      return out.toString();
    }
  }
}
