package dev.overture.event;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.overture.delivery.Deliveries;
import dev.overture.profile.Profile;
import dev.overture.profile.Profiles;
import dev.overture.support.AppTestBase;
import dev.overture.support.JourneyRuns;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What a Segment or RudderStack SDK sends, with the write key as HTTP Basic user. */
class SegmentApiTest extends AppTestBase {

  @Autowired Profiles profiles;
  @Autowired RuntimeService runtime;
  @Autowired Deliveries deliveries;
  @Autowired Events events;
  @Autowired JdbcClient jdbc;

  private RequestSpecification segment() {
    return given().auth().preemptive().basic(SEGMENT_WRITE_KEY, "").contentType(ContentType.JSON);
  }

  @Test
  void sdkCallsCreateTheProfileAndAnOrderForTheSameCartEndsAbandonedCartBeforeAnyEmail() {
    String anon = "anon-" + UUID.randomUUID();
    String userId = "user-" + UUID.randomUUID();
    String email = uniqueEmail("seg");
    String cartId = "cart-" + UUID.randomUUID();

    segment().body(Map.of("type", "identify", "messageId", UUID.randomUUID().toString(), "anonymousId", anon,
            "traits", Map.of("firstName", "Sam")))
        .post("/v1/identify").then().statusCode(200).body("success", equalTo(true));
    segment().body(Map.of("messageId", UUID.randomUUID().toString(), "anonymousId", anon, "userId", userId,
            "traits", Map.of("email", email, "plan", "pro")))
        .post("/v1/identify").then().statusCode(200);
    Profile p = profiles.find(profiles.resolve(Map.of("anonymousId", anon)).orElseThrow()).orElseThrow();
    assertThat(p.identities()).containsEntry("externalId", userId).containsEntry("email", email);
    assertThat(p.attributes()).containsEntry("firstName", "Sam").containsEntry("plan", "pro");

    segment().body(Map.of("batch", List.of(
            Map.of("type", "page", "messageId", UUID.randomUUID().toString(), "userId", userId, "name", "Cart"),
            Map.of("type", "track", "messageId", UUID.randomUUID().toString(), "userId", userId, "event", "cart.abandoned",
                "properties", Map.of("cartId", cartId), "timestamp", "2026-11-23T10:00:00.000Z"))))
        .post("/v1/batch").then().statusCode(200);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        runtime.createProcessInstanceQuery().processDefinitionKey("abandoned-cart").processInstanceBusinessKey(p.id()).count() == 1);

    segment().body(Map.of("messageId", UUID.randomUUID().toString(), "userId", userId, "event", "order.completed",
            "properties", Map.of("cartId", cartId)))
        .post("/v1/track").then().statusCode(200);

    await().atMost(Duration.ofSeconds(10)).until(() ->
        runtime.createProcessInstanceQuery().processDefinitionKey("abandoned-cart").processInstanceBusinessKey(p.id()).count() == 0);
    assertThat(JourneyRuns.endElements(jdbc, "abandoned-cart", List.of(p.id()))).containsExactly("EndEvent_OrderedBeforeReminder");
    assertThat(deliveries.ofProfile(p.id())).noneMatch(d -> d.creativeKey().startsWith("cart-"));
  }

  @Test
  void aliasMergesTheAnonymousProfileIntoTheKnownOne() {
    String anon = "anon-" + UUID.randomUUID();
    String userId = "user-" + UUID.randomUUID();
    segment().body(Map.of("messageId", UUID.randomUUID().toString(), "userId", userId, "traits", Map.of("tier", "gold")))
        .post("/v1/identify").then().statusCode(200);
    segment().body(Map.of("messageId", UUID.randomUUID().toString(), "anonymousId", anon, "event", "product.viewed"))
        .post("/v1/track").then().statusCode(200);
    String known = profiles.resolve(Map.of("externalId", userId)).orElseThrow();
    String anonymous = profiles.resolve(Map.of("anonymousId", anon)).orElseThrow();
    assertThat(anonymous).isNotEqualTo(known);

    segment().body(Map.of("messageId", UUID.randomUUID().toString(), "previousId", anon, "userId", userId))
        .post("/v1/alias").then().statusCode(200);

    assertThat(profiles.resolve(Map.of("anonymousId", anon))).contains(known);
    assertThat(profiles.canonicalId(anonymous)).contains(known);
  }

  @Test
  void analyticsJsShortPathsWithTheWriteKeyInATextPlainBodyWork() {
    String anon = "anon-" + UUID.randomUUID();
    String messageId = UUID.randomUUID().toString();
    given().contentType("text/plain").body("""
            {"type":"track","event":"Product Viewed","anonymousId":"%s","messageId":"%s",
             "properties":{"sku":"A-1"},"writeKey":"%s","context":{"device":{"token":"tok-%s"}}}"""
            .formatted(anon, messageId, SEGMENT_WRITE_KEY, anon))
        .post("/v1/t").then().statusCode(200).header("Access-Control-Allow-Origin", "*").body("success", equalTo(true));
    given().contentType("text/plain").body("""
            {"batch":[{"type":"page","name":"Home","anonymousId":"%s","messageId":"%s"}],"writeKey":"%s"}"""
            .formatted(anon, UUID.randomUUID(), SEGMENT_WRITE_KEY))
        .post("/v1/b").then().statusCode(200);

    String profileId = profiles.resolve(Map.of("anonymousId", anon)).orElseThrow();
    assertThat(profiles.resolve(Map.of("deviceToken", "tok-" + anon))).contains(profileId);
    given().contentType("text/plain").body("{\"type\":\"track\",\"event\":\"x\",\"anonymousId\":\"a\",\"writeKey\":\"wrong\"}")
        .post("/v1/t").then().statusCode(401);
  }

  @Test
  void missingOrWrongWriteKeyIsRefused() {
    given().contentType(ContentType.JSON).body(Map.of("userId", "u", "event", "x")).post("/v1/track")
        .then().statusCode(401).contentType("application/problem+json");
    given().auth().preemptive().basic("not-a-key", "").contentType(ContentType.JSON).body(Map.of("userId", "u", "event", "x"))
        .post("/v1/track").then().statusCode(401);
  }

  @Test
  void segmentCallWithoutIdentityOrEventNameIsAProblem() {
    segment().body(Map.of("event", "x")).post("/v1/track")
        .then().statusCode(400).contentType("application/problem+json").body("type", containsString("missing-identity"));
    segment().body(Map.of("userId", "u-" + UUID.randomUUID())).post("/v1/track")
        .then().statusCode(400).body("detail", containsString("needs 'event'"));
  }

  @Test
  void contextTraitsOfTrackAndPageCallsMergeIntoTheProfileLikeIdentifyTraits() {
    String userId = "user-" + UUID.randomUUID();
    segment().body(Map.of("messageId", UUID.randomUUID().toString(), "userId", userId,
            "traits", Map.of("firstName", "Sam", "plan", "free")))
        .post("/v1/identify").then().statusCode(200);

    segment().body(Map.of("messageId", UUID.randomUUID().toString(), "userId", userId, "event", "Plan Upgraded",
            "context", Map.of("traits", Map.of("plan", "pro", "seats", 5))))
        .post("/v1/track").then().statusCode(200);
    segment().body(Map.of("batch", List.of(
            Map.of("type", "page", "messageId", UUID.randomUUID().toString(), "userId", userId, "name", "Billing",
                "context", Map.of("traits", Map.of("city", "Berlin"))),
            Map.of("type", "screen", "messageId", UUID.randomUUID().toString(), "userId", userId, "name", "Settings",
                "context", Map.of("traits", Map.of("os", "android"))))))
        .post("/v1/batch").then().statusCode(200);

    Profile p = profiles.find(profiles.resolve(Map.of("externalId", userId)).orElseThrow()).orElseThrow();
    assertThat(p.attributes())
        .containsEntry("firstName", "Sam").containsEntry("plan", "pro").containsEntry("seats", 5)
        .containsEntry("city", "Berlin").containsEntry("os", "android");
  }

  @Test
  void sentAtCorrectsTheClientsClockSkewAndWithoutItTheTimestampIsTakenAsSent() {
    String userId = "user-" + UUID.randomUUID();
    // the device's clock is two hours behind: it says the event happened 5 minutes before it sent it
    Instant deviceNow = Instant.now().minus(Duration.ofHours(2));
    String skewed = UUID.randomUUID().toString();
    segment().body(Map.of("messageId", skewed, "userId", userId, "event", "Product Viewed",
            "timestamp", deviceNow.minus(Duration.ofMinutes(5)).toString(), "sentAt", deviceNow.toString()))
        .post("/v1/track").then().statusCode(200);
    String unskewed = UUID.randomUUID().toString();
    segment().body(Map.of("messageId", unskewed, "userId", userId, "event", "Product Viewed",
            "timestamp", "2026-01-02T03:04:05.678Z"))
        .post("/v1/track").then().statusCode(200);

    assertThat(occurredAt(skewed)).isCloseTo(Instant.now().minus(Duration.ofMinutes(5)), within(Duration.ofSeconds(10)));
    assertThat(occurredAt(unskewed)).isEqualTo(Instant.parse("2026-01-02T03:04:05.678Z"));
  }

  @Test
  void theBatchsSentAtCorrectsEveryMessageThatHasNoneOfItsOwn() {
    String userId = "user-" + UUID.randomUUID();
    Instant deviceNow = Instant.now().minus(Duration.ofHours(1));
    Instant otherDeviceNow = Instant.now().plus(Duration.ofHours(3));
    String inherits = UUID.randomUUID().toString();
    String ownSentAt = UUID.randomUUID().toString();
    segment().body(Map.of("sentAt", deviceNow.toString(), "batch", List.of(
            Map.of("type", "track", "messageId", inherits, "userId", userId, "event", "Cart Viewed",
                "timestamp", deviceNow.minus(Duration.ofMinutes(10)).toString()),
            Map.of("type", "track", "messageId", ownSentAt, "userId", userId, "event", "Cart Viewed",
                "originalTimestamp", otherDeviceNow.minus(Duration.ofMinutes(1)).toString(), "sentAt", otherDeviceNow.toString()))))
        .post("/v1/batch").then().statusCode(200);

    assertThat(occurredAt(inherits)).isCloseTo(Instant.now().minus(Duration.ofMinutes(10)), within(Duration.ofSeconds(10)));
    assertThat(occurredAt(ownSentAt)).isCloseTo(Instant.now().minus(Duration.ofMinutes(1)), within(Duration.ofSeconds(10)));
  }

  @Test
  void aBadSentAtIsAProblemAndNothingOfTheRequestIsStored() {
    String userId = "user-" + UUID.randomUUID();
    String single = UUID.randomUUID().toString();
    segment().body(Map.of("messageId", single, "userId", userId, "event", "x", "timestamp", Instant.now().toString(),
            "sentAt", "yesterday"))
        .post("/v1/track").then().statusCode(400).contentType("application/problem+json")
        .body("type", containsString("invalid-timestamp")).body("detail", containsString("sentAt"));

    String first = UUID.randomUUID().toString();
    String second = UUID.randomUUID().toString();
    segment().body(Map.of("sentAt", "3 days from now", "batch", List.of(
            Map.of("type", "track", "messageId", first, "userId", userId, "event", "x"))))
        .post("/v1/batch").then().statusCode(400).body("type", containsString("invalid-timestamp"))
        .body("detail", containsString("sentAt"));
    segment().body(Map.of("batch", List.of(
            Map.of("type", "track", "messageId", first, "userId", userId, "event", "x"),
            Map.of("type", "track", "messageId", second, "userId", userId, "event", "x", "sentAt", "31.12.1999"))))
        .post("/v1/batch").then().statusCode(400).body("detail", containsString("events[1]: sentAt"));

    assertThat(List.of(single, first, second)).noneMatch(events::exists);
    assertThat(profiles.resolve(Map.of("externalId", userId))).isEmpty();
  }

  @Test
  void aDeviceClockDaysAheadIsCorrectedNotRefused() {
    String messageId = UUID.randomUUID().toString();
    Instant deviceNow = Instant.now().plus(Duration.ofDays(3));
    segment().body(Map.of("sentAt", deviceNow.toString(), "batch", List.of(Map.of("type", "track", "messageId", messageId,
            "userId", "user-" + UUID.randomUUID(), "event", "x", "timestamp", deviceNow.minusSeconds(60).toString()))))
        .post("/v1/batch").then().statusCode(200);

    assertThat(Duration.between(occurredAt(messageId), Instant.now().minusSeconds(60)).abs()).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void theDevicesContextTimezoneBecomesTheProfilesTimezoneAttribute() {
    String userId = "user-" + UUID.randomUUID();
    segment().body(Map.of("messageId", UUID.randomUUID().toString(), "userId", userId,
            "traits", Map.of("firstName", "Sam"), "context", Map.of("timezone", "Europe/Berlin")))
        .post("/v1/identify").then().statusCode(200);
    assertThat(attributes(userId)).containsEntry("timezone", "Europe/Berlin");

    // the customer travelled: the next track comes from Tokyo; a value that is no zone changes nothing
    segment().body(Map.of("messageId", UUID.randomUUID().toString(), "userId", userId, "event", "App Opened",
            "context", Map.of("timezone", "Asia/Tokyo")))
        .post("/v1/track").then().statusCode(200);
    assertThat(attributes(userId)).containsEntry("timezone", "Asia/Tokyo");
    segment().body(Map.of("messageId", UUID.randomUUID().toString(), "userId", userId, "event", "App Opened",
            "context", Map.of("timezone", "Not/AZone")))
        .post("/v1/track").then().statusCode(200);
    assertThat(attributes(userId)).containsEntry("timezone", "Asia/Tokyo").doesNotContainKey("timeZone");
  }

  private Map<String, Object> attributes(String userId) {
    return profiles.find(profiles.resolve(Map.of("externalId", userId)).orElseThrow()).orElseThrow().attributes();
  }

  private Instant occurredAt(String eventId) {
    return jdbc.sql("SELECT occurred_at FROM customer_event WHERE event_id = ?").param(eventId)
        .query(java.sql.Timestamp.class).single().toInstant();
  }
}
