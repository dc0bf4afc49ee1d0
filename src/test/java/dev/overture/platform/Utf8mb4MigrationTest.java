package dev.overture.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.overture.support.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An installation from before utf8mb4 everywhere: a database in the server's default character set (latin1), our
 * tables in it and Camunda's from its own script in utf8mb3. The migration converts both, keeps the rows, the foreign
 * keys and the ascii columns, and then a 4-byte character is stored and compared like any other.
 */
class Utf8mb4MigrationTest {

  private static final String EMOJI = "\uD83D\uDE80";

  private HikariDataSource db;
  private JdbcClient jdbc;

  @BeforeEach
  void anInstallationFromBefore() throws IOException {
    db = new HikariDataSource();
    db.setJdbcUrl(DatabaseConfig.withMysqlMetadata(TestDatabases.newDatabase()));
    db.setUsername(TestDatabases.user());
    db.setPassword(TestDatabases.password());
    db.setMaximumPoolSize(2);
    jdbc = JdbcClient.create(db);
    jdbc.sql("ALTER DATABASE CHARACTER SET latin1 COLLATE latin1_swedish_ci").update();
    flyway().target("80").load().migrate();
    camundaSchema();
    jdbc.sql("INSERT INTO ACT_RE_PROCDEF (ID_, REV_, KEY_, VERSION_, SUSPENSION_STATE_) VALUES ('welcome:1:a', 1, 'welcome', 1, 1)")
        .update();
    jdbc.sql("INSERT INTO send_guard (guard_key) VALUES ('p:kept')").update();
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void convertsOurTablesAndCamundasToUtf8mb4AndKeepsRowsKeysAndAsciiColumns() {
    assertThat(charsets()).contains("latin1", "utf8mb3");
    int foreignKeys = foreignKeys();

    flyway().load().migrate();

    assertThat(charsets()).containsOnly("utf8mb4", "ascii");
    assertThat(jdbc.sql("SELECT CHARACTER_SET_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'send_guard' AND COLUMN_NAME = 'guard_key'").query(String.class).single()).isEqualTo("ascii");
    assertThat(foreignKeys()).isEqualTo(foreignKeys).isPositive();
    assertThat(jdbc.sql("SELECT KEY_ FROM ACT_RE_PROCDEF WHERE KEY_ = ?").param("welcome").query(String.class).list())
        .containsExactly("welcome");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM ACT_RE_PROCDEF WHERE KEY_ = ?").param("welcome" + EMOJI)
        .query(Integer.class).single()).isZero();
    jdbc.sql("UPDATE profile_identity SET value = value WHERE value = ?").param(EMOJI).update();
    assertThat(jdbc.sql("SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()")
        .query(String.class).single()).isEqualTo("utf8mb4_bin");
  }

  private FluentConfiguration flyway() {
    return Flyway.configure().dataSource(db).baselineOnMigrate(true).baselineVersion("0");
  }

  private List<String> charsets() {
    return jdbc.sql("SELECT DISTINCT CHARACTER_SET_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND CHARACTER_SET_NAME IS NOT NULL AND TABLE_NAME <> 'flyway_schema_history'").query(String.class).list();
  }

  private int foreignKeys() {
    return jdbc.sql("SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()")
        .query(Integer.class).single();
  }

  /** Camunda's own create script for MySQL, as the engine runs it with {@code schema-update} (CHARSET=utf8). */
  private void camundaSchema() throws IOException {
    try (InputStream in = Flyway.class.getClassLoader()
        .getResourceAsStream("org/camunda/bpm/engine/db/create/activiti.mysql.create.engine.sql")) {
      String script = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
      for (String statement : script.split(";")) {
        if (!statement.isBlank()) {
          jdbc.sql(statement).update();
        }
      }
    }
  }
}
