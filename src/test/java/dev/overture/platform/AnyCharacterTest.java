package dev.overture.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.support.AppTestBase;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Any character a client sends, 4-byte ones (emoji, CJK extensions) included, is stored or refused with a problem,
 * never a 500: every table, Camunda's too, holds utf8mb4, and every unknown path under the API is a 404 problem.
 */
class AnyCharacterTest extends AppTestBase {

  private static final String EMOJI = "\uD83D\uDE80";

  @Autowired
  JdbcClient jdbc;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "GET, /api/journeys/{key}",
      "GET, /api/journeys/{key}/stats",
      "GET, /api/journeys/{key}/results",
      "POST, /api/journeys/{key}/pause",
      "POST, /api/journeys/{key}/resume",
      "DELETE, /api/journeys/{key}/profiles/p-1",
      "POST, /api/journeys/{key}/entries",
      "GET, /api/journeys/{key}/entries/e-1",
      "POST, /api/journeys/{key}/enrollments",
      "GET, /api/segments/{key}",
      "GET, /api/segments/{key}/count",
      "GET, /api/creatives/{key}",
      "GET, /api/profiles/{key}",
      "GET, /api/deliveries/{key}",
      "GET, /api/suppressions/email/{key}",
  })
  void aKeyWithAFourByteCharacterInThePathIsNotFoundOrRefused(String method, String path) {
    Response response = api().body(Map.of("profileId", "p-1", "segmentKey", "s-1"))
        .request(method, path, "welcome" + EMOJI);

    assertThat(response.statusCode()).as(response.asString()).isIn(400, 404);
    assertProblem(response);
  }

  @Test
  void aBodyWithFourByteCharactersIsStoredAsSent() {
    String email = uniqueEmail("emoji" + EMOJI);
    String name = "Ada " + EMOJI + " \uD840\uDC0B";
    String profileId = api().body(Map.of("identities", Map.of("email", email), "attributes", Map.of("firstName", name)))
        .post("/api/profiles").then().statusCode(201).extract().path("id");

    assertThat(api().get("/api/profiles/{id}", profileId).then().statusCode(200)
        .extract().<String>path("attributes.firstName")).isEqualTo(name);
    api().body(Map.of("eventId", EMOJI + UUID.randomUUID(), "type", "party.started", "profileId", profileId,
            "properties", Map.of("note", name)))
        .post("/api/events").then().statusCode(202);
    Response badType = api().body(Map.of("eventId", UUID.randomUUID().toString(), "type", "party" + EMOJI,
        "profileId", profileId)).post("/api/events");
    assertThat(badType.statusCode()).isEqualTo(400);
    assertProblem(badType);
    Response entry = api().header("Idempotency-Key", "signup-" + EMOJI + UUID.randomUUID())
        .body(Map.of("profileId", profileId)).post("/api/journeys/welcome/entries");
    assertThat(entry.statusCode()).as(entry.asString()).isEqualTo(201);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "GET, /api/nothing-here",
      "GET, /api/journeys/welcome/nothing/here",
      "POST, /api/profiles/p-1/nothing",
      "GET, /api/" + EMOJI,
      "POST, /v1/nothing/here",
      "POST, /v1/nothing",
      "POST, /v1/" + EMOJI,
      "GET, /api",
      "GET, /v1",
  })
  void anUnknownPathIsANotFoundProblem(String method, String path) {
    Response response = api().body("{}").request(method, path);

    assertThat(response.statusCode()).as(response.asString()).isEqualTo(404);
    assertProblem(response);
  }

  @Test
  void aKnownPathWithAnotherMethodIsAMethodNotAllowedProblem() {
    Response response = api().delete("/api/journeys");

    assertThat(response.statusCode()).as(response.asString()).isEqualTo(405);
    assertThat(response.header("Allow")).isEqualTo("GET");
    assertProblem(response);
  }

  @Test
  void everyTextColumnHoldsUtf8mb4() {
    List<String> others = jdbc.sql("""
            SELECT CONCAT(c.TABLE_NAME, '.', c.COLUMN_NAME, ' ', c.CHARACTER_SET_NAME) FROM information_schema.COLUMNS c
            JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
            WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE'
              AND c.CHARACTER_SET_NAME IS NOT NULL AND c.CHARACTER_SET_NAME NOT IN ('utf8mb4', 'ascii')""")
        .query(String.class).list();
    List<String> tables = jdbc.sql("""
            SELECT CONCAT(TABLE_NAME, ' ', TABLE_COLLATION) FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND TABLE_COLLATION NOT LIKE 'utf8mb4%'""")
        .query(String.class).list();

    assertThat(others).as("columns in another character set").isEmpty();
    assertThat(tables).as("tables whose default is another character set").isEmpty();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'ACT_RE_PROCDEF'").query(Integer.class).single()).isEqualTo(1);
  }

  private static void assertProblem(Response response) {
    assertThat(response.contentType()).as(response.asString()).startsWith("application/problem+json");
    assertThat(response.jsonPath().getString("type")).startsWith(ApiProblem.TYPE_BASE);
    assertThat(response.asString()).doesNotContain("Exception", "collation", "trace");
  }
}
