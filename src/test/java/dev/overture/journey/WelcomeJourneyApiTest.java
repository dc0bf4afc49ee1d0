package dev.overture.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.overture.support.AppTestBase;
import dev.overture.support.JourneyRuns;
import dev.overture.support.TestMail;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.integration.endpoint.SourcePollingChannelAdapter;

/** The welcome journey over the REST API, with GreenMail as the SMTP server. */
class WelcomeJourneyApiTest extends AppTestBase {

  @Autowired
  RuntimeService runtime;

  @Autowired
  org.springframework.jdbc.core.simple.JdbcClient jdbc;

  @Autowired
  SourcePollingChannelAdapter outboxPoller;

  @Test
  void welcomeEmailReachesSmtpWithFirstNameFilledIn() throws Exception {
    String email = uniqueEmail("ada");
    String profileId = createProfile(email, "Ada");
    setConsent(profileId, "email", "marketing", "granted");

    api().body(Map.of("profileId", profileId))
        .post("/api/journeys/welcome/entries")
        .then().statusCode(201)
        .body("journeyKey", equalTo("welcome"))
        .body("profileId", equalTo(profileId));

    List<MimeMessage> received = await().atMost(Duration.ofSeconds(30)).until(() -> TestMail.to(email), m -> !m.isEmpty());
    assertThat(received).hasSize(1);
    assertThat(received.get(0).getSubject()).isEqualTo("Welcome, Ada!");
    assertThat(received.get(0).getHeader("Message-ID")[0]).endsWith("@overture>");

    // the outcome writer records "sent" just after the provider took the message
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> api().get("/api/deliveries?profileId={id}", profileId)
        .then().statusCode(200)
        .body("[0].status", equalTo("sent"))
        .body("[0].creativeKey", equalTo("welcome"))
        .body("[0].recipient", equalTo(email)));
    assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(profileId).activityIdIn("Gateway_PurchaseOrTimeout").count())
        .as("the journey waits for the purchase or the two-day timer").isEqualTo(1);
  }

  @Test
  void sameIdempotencyKeyTwiceStartsOneJourney() {
    String profileId = createProfile(uniqueEmail("grace"), "Grace");
    String key = UUID.randomUUID().toString();

    String first = api().header("Idempotency-Key", key).body(Map.of("profileId", profileId))
        .post("/api/journeys/welcome/entries")
        .then().statusCode(201).header("Idempotent-Replayed", "false")
        .extract().path("entryId");
    String second = api().header("Idempotency-Key", key).body(Map.of("profileId", profileId))
        .post("/api/journeys/welcome/entries")
        .then().statusCode(201).header("Idempotent-Replayed", "true")
        .extract().path("entryId");

    assertThat(second).isEqualTo(first);
    assertThat(JourneyRuns.count(jdbc, "welcome", profileId)).isEqualTo(1);
  }

  @Test
  void idempotencyKeyReusedForAnotherProfileIsRefused() {
    String key = UUID.randomUUID().toString();
    String a = createProfile(uniqueEmail("a"), "A");
    String b = createProfile(uniqueEmail("b"), "B");
    api().header("Idempotency-Key", key).body(Map.of("profileId", a)).post("/api/journeys/welcome/entries").then().statusCode(201);
    api().header("Idempotency-Key", key).body(Map.of("profileId", b)).post("/api/journeys/welcome/entries")
        .then().statusCode(422).contentType("application/problem+json")
        .body("type", containsString("idempotency-key-reused"));
  }

  @Test
  void skipsEmailWhenConsentWasRevokedAfterEntryBeforeDispatch() {
    String email = uniqueEmail("linus");
    String profileId = createProfile(email, "Linus");
    setConsent(profileId, "email", "marketing", "granted");
    outboxPoller.stop();
    try {
      api().body(Map.of("profileId", profileId)).post("/api/journeys/welcome/entries").then().statusCode(201);
      await().atMost(Duration.ofSeconds(30)).until(() -> deliveryStatus(profileId), "pending"::equals);
      setConsent(profileId, "email", "marketing", "revoked");
    } finally {
      outboxPoller.start();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> deliveryStatus(profileId), "suppressed"::equals);
    api().get("/api/deliveries?profileId={id}", profileId).then()
        .body("[0].reason", containsString("no marketing consent for email at send time"));
    assertThat(TestMail.to(email)).isEmpty();
  }

  @Test
  void profileWithoutConsentEndsWithoutAnyMessage() {
    String profileId = createProfile(uniqueEmail("noconsent"), "No");
    api().body(Map.of("profileId", profileId)).post("/api/journeys/welcome/entries").then().statusCode(201);
    assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(profileId).count()).isZero();
    api().get("/api/deliveries?profileId={id}", profileId).then().body("size()", equalTo(0));
  }

  @Test
  void purchaseEventEndsTheWaitingJourney() {
    String profileId = createProfile(uniqueEmail("buyer"), "Barbara");
    setConsent(profileId, "email", "marketing", "granted");
    api().body(Map.of("profileId", profileId)).post("/api/journeys/welcome/entries").then().statusCode(201);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        runtime.createProcessInstanceQuery().processInstanceBusinessKey(profileId).activityIdIn("Gateway_PurchaseOrTimeout").count() == 1);

    String eventId = UUID.randomUUID().toString();
    Map<String, Object> event = Map.of("eventId", eventId, "type", "purchase.completed", "profileId", profileId,
        "properties", Map.of("orderId", "o-1"));
    // 202 once stored; correlation follows asynchronously from the durable event row
    api().body(event).post("/api/events").then().statusCode(202).body("duplicate", equalTo(false));
    api().body(event).post("/api/events").then().statusCode(202).body("duplicate", equalTo(true));

    await().atMost(Duration.ofSeconds(10)).until(() ->
        runtime.createProcessInstanceQuery().processInstanceBusinessKey(profileId).count() == 0);
    assertThat(JourneyRuns.endElements(jdbc, "welcome", java.util.List.of(profileId))).containsExactly("EndEvent_Purchased");
  }

  @Test
  void entryErrorsAreProblems() {
    String profileId = createProfile(uniqueEmail("errors"), "E");
    api().body(Map.of("profileId", profileId)).post("/api/journeys/no-such-journey/entries")
        .then().statusCode(404).contentType("application/problem+json")
        .body("type", containsString("journey-not-found"));
    api().body(Map.of("profileId", UUID.randomUUID().toString())).post("/api/journeys/welcome/entries")
        .then().statusCode(422).contentType("application/problem+json")
        .body("detail", containsString("No profile"));
    api().body("{\"profileId\": ").post("/api/journeys/welcome/entries")
        .then().statusCode(400).contentType("application/problem+json")
        .body("detail", equalTo("The request body is not valid JSON for this endpoint"))
        .body("trace", equalTo(null));
    api().body(Map.of("profileId", List.of("x"))).post("/api/journeys/welcome/entries")
        .then().statusCode(400).contentType("application/problem+json")
        .body("detail", containsString("profileId"));
  }

  private String deliveryStatus(String profileId) {
    List<String> statuses = api().get("/api/deliveries?profileId={id}", profileId).then().extract().path("status");
    return statuses.isEmpty() ? null : statuses.get(0);
  }
}
