package dev.overture.sendtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.support.AppTestBase;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Profiles in a time zone, and an ESP's engagement events for them, through the REST API as systems send them. */
abstract class SendTimeFixtures extends AppTestBase {

  String profileIn(String timezone) {
    return api().body(Map.of("identities", Map.of("email", uniqueEmail("st")), "attributes", Map.of("timezone", timezone)))
        .post("/api/profiles").then().statusCode(201).extract().path("id");
  }

  /**
   * {@code perDay} email.opened events a day over the last {@code days} days, a few minutes after {@code at} local,
   * and one email.clicked, as an ESP reports them (POST /api/events/batch); returns once the model has them all.
   */
  void espEngagementsAt(String profileId, ZoneId zone, LocalTime at, int days, int perDay) {
    List<Map<String, Object>> events = new ArrayList<>();
    ZonedDateTime today = ZonedDateTime.now(zone).with(at);
    for (int d = 1; d <= days; d++) {
      for (int i = 0; i < perDay; i++) {
        events.add(event("email.opened", profileId, today.minusDays(d).plusMinutes(5 + 10L * i)));
      }
    }
    events.add(event("email.clicked", profileId, today.minusDays(1).plusMinutes(7)));
    api().body(Map.of("events", events)).post("/api/events/batch").then().statusCode(202);
    awaitLearnt(profileId, days * perDay, 1);
  }

  JsonPath awaitLearnt(String profileId, int opens, int clicks) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> sendTime(profileId),
        j -> j.getInt("learntFrom.opens") == opens && j.getInt("learntFrom.clicks") == clicks);
  }

  JsonPath sendTime(String profileId) {
    return api().get("/api/profiles/{id}/send-time", profileId).then().statusCode(200).extract().jsonPath();
  }

  static void assertLocalHour(java.time.Instant at, ZoneId zone, int hour) {
    assertThat(at.atZone(zone).toLocalTime()).as("local time of " + at).isEqualTo(LocalTime.of(hour, 0));
  }

  private static Map<String, Object> event(String type, String profileId, ZonedDateTime at) {
    return Map.of("eventId", "st-" + UUID.randomUUID(), "type", type, "profileId", profileId,
        "occurredAt", at.toOffsetDateTime().toString(), "properties", Map.of("esp", "test"));
  }
}
