package dev.overture.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.overture.event.internal.EventStore;
import dev.overture.event.internal.EventValidator;
import dev.overture.profile.Profiles;
import dev.overture.support.AppTestBase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

class EventApiTest extends AppTestBase {

  @Autowired Events events;
  @Autowired Profiles profiles;
  @Autowired JdbcClient jdbc;
  @Autowired EventStore store;

  private static String id() {
    return UUID.randomUUID().toString();
  }

  @Test
  void acceptedEventIsStoredAndTheSameEventIdAgainIsANoOp() {
    String profileId = createProfile(uniqueEmail("ev"), "Eve");
    String eventId = id();
    Map<String, Object> event = Map.of("eventId", eventId, "type", "product.viewed", "profileId", profileId,
        "occurredAt", "2026-11-23T10:15:30+01:00", "properties", Map.of("sku", "A-1"));

    api().body(event).post("/api/events").then().statusCode(202)
        .body("eventId", equalTo(eventId)).body("profileId", equalTo(profileId)).body("duplicate", equalTo(false));
    api().body(event).post("/api/events").then().statusCode(202).body("duplicate", equalTo(true));

    assertThat(jdbc.sql("SELECT COUNT(*) FROM customer_event WHERE event_id = ?").param(eventId).query(Integer.class).single())
        .isEqualTo(1);
    assertThat(jdbc.sql("SELECT occurred_at FROM customer_event WHERE event_id = ?").param(eventId)
        .query(java.sql.Timestamp.class).single().toInstant()).isEqualTo(Instant.parse("2026-11-23T09:15:30Z"));
    await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
        "SELECT processed_at IS NOT NULL FROM customer_event WHERE event_id = ?").param(eventId).query(Boolean.class).single());
  }

  @Test
  void repeatOfAnEventAJourneyListensToAnswersWithTheFirstProfile() {
    // ticket.opened ends post-purchase: such an event is stored for correlation, and its repeat is found by the
    // duplicate key of its insert rather than by a lookup beforehand
    String first = createProfile(uniqueEmail("rep-a"), "A");
    String other = createProfile(uniqueEmail("rep-b"), "B");
    String eventId = id();
    api().body(Map.of("eventId", eventId, "type", "ticket.opened", "profileId", first)).post("/api/events").then()
        .statusCode(202).body("duplicate", equalTo(false)).body("profileId", equalTo(first));
    api().body(Map.of("eventId", eventId, "type", "ticket.opened", "profileId", other)).post("/api/events").then()
        .statusCode(202).body("duplicate", equalTo(true)).body("profileId", equalTo(first));
    api().body(Map.of("events", List.of(Map.of("eventId", eventId, "type", "ticket.opened", "profileId", other))))
        .post("/api/events/batch").then().statusCode(202)
        .body("events.duplicate", equalTo(List.of(true))).body("events.profileId", equalTo(List.of(first)));

    assertThat(jdbc.sql("SELECT profile_id FROM customer_event WHERE event_id = ?").param(eventId).query(String.class).list())
        .containsExactly(first);
  }

  @Test
  void unknownEventTypeIsAcceptedAndStored() {
    String profileId = createProfile(uniqueEmail("unknown"), "U");
    String eventId = id();
    api().body(Map.of("eventId", eventId, "type", "nobody.listens.to.this", "profileId", profileId))
        .post("/api/events").then().statusCode(202);
    assertThat(events.exists(eventId)).isTrue();
  }

  @Test
  void eventWithUnknownIdentitiesCreatesTheProfile() {
    String anon = "anon-" + id();
    String profileId = api().body(Map.of("eventId", id(), "type", "page", "identities", Map.of("anonymousId", anon)))
        .post("/api/events").then().statusCode(202).extract().path("profileId");

    assertThat(profiles.resolve(Map.of("anonymousId", anon))).contains(profileId);
  }

  @Test
  void batchStoresEveryEventAndReportsDuplicates() {
    String profileId = createProfile(uniqueEmail("batch"), "B");
    String repeated = id();
    api().body(Map.of("eventId", repeated, "type", "a.b", "profileId", profileId)).post("/api/events").then().statusCode(202);

    api().body(Map.of("events", List.of(
            Map.of("eventId", id(), "type", "a.b", "profileId", profileId),
            Map.of("eventId", repeated, "type", "a.b", "profileId", profileId),
            Map.of("eventId", id(), "type", "c.d", "identities", Map.of("deviceToken", "tok-" + id())))))
        .post("/api/events/batch").then().statusCode(202)
        .body("events", hasSize(3))
        .body("events.duplicate", equalTo(List.of(false, true, false)));
  }

  @Test
  void badEventsAreProblemsAndNothingIsStored() {
    String profileId = createProfile(uniqueEmail("bad"), "B");
    String eventId = id();

    api().body(Map.of("eventId", eventId, "type", "a.b")).post("/api/events")
        .then().statusCode(400).contentType("application/problem+json").body("type", containsString("missing-identity"));
    api().body("{\"eventId\": \"" + eventId + "\", \"type\": ").post("/api/events")
        .then().statusCode(400).contentType("application/problem+json").body("type", containsString("malformed-request"));
    api().body(Map.of("eventId", eventId, "type", "a.b", "profileId", profileId, "occurredAt", "yesterday")).post("/api/events")
        .then().statusCode(400).body("type", containsString("invalid-timestamp"));
    api().body(Map.of("eventId", eventId, "type", "a.b", "profileId", profileId, "occurredAt", "2999-01-01T00:00:00Z"))
        .post("/api/events").then().statusCode(400).body("type", containsString("invalid-timestamp"));
    api().body(Map.of("eventId", eventId, "type", "a.b", "profileId", UUID.randomUUID().toString())).post("/api/events")
        .then().statusCode(422).body("type", containsString("unknown-profile"));
    api().body(Map.of("eventId", eventId, "type", "a.b", "identities", Map.of("email", "not-an-email"))).post("/api/events")
        .then().statusCode(400).body("detail", containsString("not an email address"));
    api().body(Map.of("eventId", eventId, "type", "a.b", "profileId", profileId, "properties", Map.of("blob", "x".repeat(70 * 1024))))
        .post("/api/events").then().statusCode(413).contentType("application/problem+json")
        .body("type", containsString("event-too-large"));
    api().body(Map.of("events", List.of(Map.of("eventId", eventId, "type", "a.b", "profileId", profileId, "properties",
            Map.of("blob", "x".repeat(600 * 1024))))))
        .post("/api/events/batch").then().statusCode(413).contentType("application/problem+json")
        .body("type", containsString("payload-too-large"));
    // one bad event refuses the whole batch
    api().body(Map.of("events", List.of(
            Map.of("eventId", eventId, "type", "a.b", "profileId", profileId),
            Map.of("eventId", id(), "type", "a.b"))))
        .post("/api/events/batch").then().statusCode(400).body("detail", containsString("events[1]"));

    assertThat(events.exists(eventId)).as("no bad request stored anything").isFalse();
  }

  @Test
  void aTooLongEventIdIsRefusedWithAProblemNotCutToFit() {
    String profileId = createProfile(uniqueEmail("long"), "L");
    String eventId = "e".repeat(256);

    api().body(Map.of("eventId", eventId, "type", "a.b", "profileId", profileId)).post("/api/events")
        .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("255 characters"));

    assertThat(events.exists(eventId.substring(0, 255))).as("no event stored under the first 255 characters").isFalse();
  }

  @Test
  void aValueItsColumnCannotHoldFailsTheStoreInsteadOfBeingCut() {
    String profileId = createProfile(uniqueEmail("cut"), "C");
    // source is VARCHAR(16); Overture names its sources itself, so only a bug could send a longer one
    for (String type : List.of("ticket.opened", "never.listened.to")) {
      String eventId = id();
      InboundEvent raw = InboundEvent.of(eventId, type, profileId, null, null, Map.of(), "a-source-of-17-ch");
      EventValidator.ValidEvent valid = new EventValidator.ValidEvent(raw, Instant.now(), "{}", profileId);

      assertThatThrownBy(() -> store.store(List.of(valid))).as(type).isInstanceOf(DataAccessException.class)
          .hasStackTraceContaining("Data too long");
      assertThat(events.exists(eventId)).as(type + " stored anyway").isFalse();
    }
  }
}
