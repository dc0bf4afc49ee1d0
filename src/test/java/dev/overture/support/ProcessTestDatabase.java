package dev.overture.support;

import dev.overture.platform.EmbeddedMariaDb;
import java.io.File;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * One MariaDB server and database for the tests that run the app as processes of their own, started on
 * first use and stopped with the test JVM. They share it as the app tests share theirs: the first app
 * process makes the schema (a fresh schema costs a start 15 s more), and each test looks only at its own
 * cohort of profiles.
 */
public final class ProcessTestDatabase {

  private static final String DATABASE = "overture";
  private static EmbeddedMariaDb server;

  private ProcessTestDatabase() {}

  /** The JDBC URL of the shared database (user root, no password). */
  public static synchronized String url() {
    StandaloneApps.requireOwnJvm();
    if (server == null) {
      File home = new File("target/process-test-db");
      try {
        StandaloneApps.deleteRecursively(home.toPath());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      server = EmbeddedMariaDb.start(home, 0);
      server.createDatabase(DATABASE);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "process-test-db-stop"));
    }
    return server.jdbcUrl(DATABASE);
  }

  /** The test's own connection to the shared database, to set up and check what the app processes did. */
  public static JdbcClient jdbc() {
    return JdbcClient.create(new DriverManagerDataSource(url(), "root", ""));
  }
}
