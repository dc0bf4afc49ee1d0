package dev.overture.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.support.AppTestBase;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/** The migration that gives the profile's time zone one attribute name, run again over rows written the old way. */
class TimezoneAttributeMigrationTest extends AppTestBase {

  @Autowired JdbcClient jdbc;
  @Autowired DataSource dataSource;

  @Test
  void oldTimeZoneValuesMoveToTimezoneAndAnExistingTimezoneIsKept() throws Exception {
    String old = profileWith("{\"firstName\": \"Ana\", \"timeZone\": \"Europe/Lisbon\"}");
    String both = profileWith("{\"timeZone\": \"Europe/Paris\", \"timezone\": \"America/New_York\"}");
    String neither = profileWith("{\"firstName\": \"Bo\"}");

    new ResourceDatabasePopulator(new ClassPathResource("db/migration/V53__timezone_attribute.sql")).execute(dataSource);

    assertThat(attributes(old)).isEqualTo(Map.of("firstName", "Ana", "timezone", "Europe/Lisbon"));
    assertThat(attributes(both)).isEqualTo(Map.of("timezone", "America/New_York"));
    assertThat(attributes(neither)).isEqualTo(Map.of("firstName", "Bo"));
    // rows without identities would be profiles nobody can reach; the shared test database keeps none
    jdbc.sql("DELETE FROM profile WHERE id IN (:ids)").param("ids", List.of(old, both, neither)).update();
  }

  private String profileWith(String attributes) {
    String id = UUID.randomUUID().toString();
    Timestamp now = Timestamp.from(Instant.now());
    jdbc.sql("INSERT INTO profile (id, attributes, created_at, updated_at) VALUES (?, ?, ?, ?)")
        .params(id, attributes, now, now).update();
    return id;
  }

  private Map<String, Object> attributes(String id) throws Exception {
    String json = jdbc.sql("SELECT attributes FROM profile WHERE id = ?").param(id).query(String.class).single();
    return new ObjectMapper().readValue(json, new TypeReference<Map<String, Object>>() {});
  }
}
