package dev.overture.platform;

import com.zaxxer.hikari.HikariDataSource;
import java.io.File;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.lang.Nullable;

/**
 * One DataSource for Camunda, Flyway and our modules, so a delegate's writes commit or roll back
 * with the engine step. MariaDB is reported to Camunda as MySQL ({@code useMysqlMetadata}) because
 * Camunda 7.23+ has no MariaDB dialect.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

  @Bean(destroyMethod = "close")
  @Nullable
  EmbeddedMariaDb embeddedMariaDb(DatabaseProperties db) {
    if (!db.embedded()) {
      return null;
    }
    EmbeddedMariaDb server = EmbeddedMariaDb.start(new File(db.embeddedDir()), db.embeddedPort());
    server.createDatabase(db.embeddedDatabase());
    return server;
  }

  @Bean
  @ConfigurationProperties("spring.datasource.hikari")
  HikariDataSource dataSource(DatabaseProperties db, @Nullable EmbeddedMariaDb embedded) {
    HikariDataSource ds = new HikariDataSource();
    if (embedded != null) {
      ds.setJdbcUrl(withMysqlMetadata(embedded.jdbcUrl(db.embeddedDatabase())));
      ds.setUsername("root");
      ds.setPassword("");
    } else {
      ds.setJdbcUrl(withMysqlMetadata(db.url()));
      ds.setUsername(db.user());
      ds.setPassword(db.password());
    }
    ds.setDriverClassName("org.mariadb.jdbc.Driver");
    return ds;
  }

  /**
   * Camunda needs the server reported as MySQL, and its "does ACT_GE_PROPERTY exist?" check must
   * look only at this database: without {@code nullDatabaseMeansCurrent} the driver's metadata
   * searches every database on the server and a second Camunda schema there is taken for ours.
   */
  static String withMysqlMetadata(String url) {
    String out = url;
    for (String option : new String[] {"useMysqlMetadata=true", "nullDatabaseMeansCurrent=true"}) {
      if (!out.contains(option.substring(0, option.indexOf('=')))) {
        out += (out.contains("?") ? "&" : "?") + option;
      }
    }
    return out;
  }
}
