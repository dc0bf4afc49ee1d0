package dev.overture.support;

import dev.overture.platform.EmbeddedMariaDb;
import java.io.File;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * One database for the tests that run the app as processes of their own, made on first use. They share it as
 * the app tests share theirs: the first app process makes the schema (a fresh schema costs a start 15 s more),
 * and each test looks only at its own cohort of profiles. Without {@code DB_URL} it lives on the test JVM's
 * embedded MariaDB ({@link TestDatabases}), which saves installing a second one; with {@code DB_URL} on an
 * embedded MariaDB of its own, since the app processes connect as root without a password.
 */
public final class ProcessTestDatabase {

  private static final String DATABASE = "overture";
  private static EmbeddedMariaDb server;
  private static String url;

  private ProcessTestDatabase() {}

  /** The JDBC URL of the shared database (user root, no password). */
  public static synchronized String url() {
    if (url != null) {
      return url;
    }
    String external = System.getenv("DB_URL");
    if (external == null || external.isBlank()) {
      url = TestDatabases.newDatabase();
    } else {
      File home = new File("target/process-test-db");
      try {
        StandaloneApps.deleteRecursively(home.toPath());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      server = EmbeddedMariaDb.start(home, 0);
      server.createDatabase(DATABASE);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "process-test-db-stop"));
      url = server.jdbcUrl(DATABASE);
    }
    return url;
  }

  /** The test's own connection to the shared database, to set up and check what the app processes did. */
  public static JdbcClient jdbc() {
    return JdbcClient.create(new DriverManagerDataSource(url(), "root", ""));
  }
}
