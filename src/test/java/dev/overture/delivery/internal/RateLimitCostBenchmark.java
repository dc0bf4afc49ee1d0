package dev.overture.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.overture.support.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a cluster-wide permit costs: {@link RateLimits#acquire} against MariaDB with a rate so high that
 * nobody waits, so each permit is just its transaction on the bucket's row. Tagged "benchmark": only
 * {@code -Pbenchmark} runs it. {@code -Dbenchmark.permits=N} (5000), {@code -Dbenchmark.threads=T} (4,
 * the dispatcher's default). Results also go to {@code target/benchmark-rate-limit.txt}.
 */
@Tag("benchmark")
class RateLimitCostBenchmark {

  private static final Logger log = LoggerFactory.getLogger(RateLimitCostBenchmark.class);
  private static final int PERMITS = Integer.getInteger("benchmark.permits", 5000);
  private static final int THREADS = Integer.getInteger("benchmark.threads", 4);

  @Test
  void measuresThePermitsPerSecondOfOneSharedBucket() throws Exception {
    try (HikariDataSource db = new HikariDataSource()) {
      db.setJdbcUrl(TestDatabases.newDatabase());
      db.setUsername(TestDatabases.user());
      db.setPassword(TestDatabases.password());
      db.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
      db.setMaximumPoolSize(THREADS + 1);
      createTable(db);
      DeliveryProperties.Provider sms = new DeliveryProperties.Provider(null, null, null, 1_000_000.0, null);
      RateLimits limits = new RateLimits(new DeliveryProperties(null, null, null, null, null, null, null, null, null,
          null, sms, null, null, null, null, null, null, null),
          new dev.overture.delivery.ActionProperties(null, null, null, null, null, null), db);

      run(limits, THREADS, PERMITS / 5);
      double oneThread = run(limits, 1, PERMITS);
      double threads = run(limits, THREADS, PERMITS);
      String report = "permits  threads  permits/s  ms per permit\n"
          + line(1, oneThread) + line(THREADS, threads);
      log.info("Cluster-wide rate limit, cost of a permit\n{}", report);
      Files.writeString(Path.of("target/benchmark-rate-limit.txt"), report);
      assertThat(oneThread).isPositive();
    }
  }

  private static String line(int threads, double perSecond) {
    return "%7d %8d %10.0f %14.3f%n".formatted(PERMITS, threads, perSecond, 1000 / perSecond);
  }

  private static double run(RateLimits limits, int threads, int permits) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(pool.submit(() -> {
          for (int i = 0; i < permits / threads; i++) {
            assertThat(limits.acquire("sms")).isTrue();
          }
        }));
      }
      for (Future<?> w : workers) {
        w.get();
      }
      return (permits / threads * threads) / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdown();
    }
  }

  private static void createTable(HikariDataSource db) throws IOException, SQLException {
    try (InputStream in = RateLimitCostBenchmark.class.getResourceAsStream("/db/migration/V55__delivery_rate_buckets.sql");
         Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
