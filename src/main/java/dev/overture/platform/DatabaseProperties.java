package dev.overture.platform;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the data lives. {@code url} empty (no {@code DB_URL}) means the embedded MariaDB under
 * {@code embeddedDir}; otherwise that external MariaDB with {@code user} and {@code password}.
 */
@ConfigurationProperties("overture.db")
public record DatabaseProperties(
    String url, String user, String password, String embeddedDir, Integer embeddedPort, String embeddedDatabase) {

  public DatabaseProperties {
    embeddedDir = embeddedDir == null || embeddedDir.isBlank() ? "./data/mariadb" : embeddedDir;
    embeddedPort = embeddedPort == null ? 3307 : embeddedPort;
    embeddedDatabase = embeddedDatabase == null || embeddedDatabase.isBlank() ? "overture" : embeddedDatabase;
  }

  public boolean embedded() {
    return url == null || url.isBlank();
  }
}
