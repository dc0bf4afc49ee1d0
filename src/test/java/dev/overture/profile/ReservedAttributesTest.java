package dev.overture.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.overture.campaign.CampaignFixtures;
import dev.overture.event.Events;
import dev.overture.journey.Journeys;
import dev.overture.platform.ApiKeys;
import dev.overture.support.AppTestBase;
import dev.overture.support.TestMail;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Attributes that steer how Overture treats a customer ({@code testProfile}) are set only by who may change a
 * customer's treatment: a {@code profiles:write} or {@code admin} key, or a marketer. What the public Segment
 * write key, an {@code events:write} key or a journey's Update profile step sends under those names is dropped.
 */
class ReservedAttributesTest extends AppTestBase {

  private static final String TEST_PROFILE = "testProfile";

  @Autowired Profiles profiles;
  @Autowired Events events;
  @Autowired ApiKeys keys;
  @Autowired IdentityService identity;
  @Autowired MeterRegistry meters;
  @Autowired ProcessEngine engine;

  @Test
  void theWriteKeysIdentifyCannotSwitchACustomerIntoTestModeAndTheirWelcomeEmailStillReachesSmtp() throws Exception {
    String email = uniqueEmail("rita");
    String profileId = createProfile(email, "Rita");
    setConsent(profileId, "email", "marketing", "granted");
    double before = dropped("segment");

    given().auth().preemptive().basic(SEGMENT_WRITE_KEY, "").contentType(ContentType.JSON)
        .body(Map.of("type", "identify", "messageId", UUID.randomUUID().toString(),
            "traits", Map.of("email", email, "testProfile", true, "plan", "pro")))
        .post("/v1/identify").then().statusCode(200).body("success", equalTo(true));

    api().body(Map.of("profileId", profileId)).post("/api/journeys/welcome/entries").then().statusCode(201);

    List<MimeMessage> received = await().atMost(Duration.ofSeconds(30)).until(() -> TestMail.to(email), m -> !m.isEmpty());
    assertThat(received.get(0).getSubject()).isEqualTo("Welcome, Rita!");
    assertThat(profiles.find(profileId).orElseThrow().attributes()).as("the other traits are taken")
        .containsEntry("plan", "pro").doesNotContainKey(TEST_PROFILE);
    assertThat(dropped("segment") - before).isEqualTo(1);
  }

  @Test
  void anEventsWriteKeyCannotSetTestModeThroughTheSegmentApiOrAnEvent() {
    String email = uniqueEmail("eve");
    String profileId = createProfile(email, "Eve");
    String key = keys.create("reserved events " + UUID.randomUUID(), List.of("events:write")).key();
    Supplier<RequestSpecification> eventsKey = () -> given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);

    eventsKey.get().body(Map.of("type", "identify", "messageId", UUID.randomUUID().toString(),
            "traits", Map.of("email", email, "testProfile", true)))
        .post("/v1/identify").then().statusCode(200);
    eventsKey.get().body(Map.of("messageId", UUID.randomUUID().toString(), "userId", "eve-" + UUID.randomUUID(), "event", "Viewed",
            "context", Map.of("traits", Map.of("email", email, "testProfile", "true"))))
        .post("/v1/track").then().statusCode(200);
    String eventId = UUID.randomUUID().toString();
    eventsKey.get().body(Map.of("eventId", eventId, "type", "profile.flagged", "identities", Map.of("email", email),
            "properties", Map.of("testProfile", true, "reason", "qa"), "traits", Map.of("testProfile", true)))
        .post("/api/events").then().statusCode(202);

    assertThat(profiles.isTestProfile(profileId)).isFalse();
    assertThat(events.find(eventId).orElseThrow().properties())
        .as("an event property of that name would become a journey variable").containsEntry("reason", "qa")
        .doesNotContainKey(TEST_PROFILE);
    eventsKey.get().body(Map.of("testProfile", true)).put("/api/profiles/{id}/test-profile", profileId)
        .then().statusCode(403).body("detail", containsString("scope profiles:write"));
  }

  @Test
  void aProfilesWriteKeyAndAMarketerMaySetTestMode() {
    String key = keys.create("reserved profiles " + UUID.randomUUID(), List.of("profiles:write")).key();
    String tester = given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
        .body(Map.of("identities", Map.of("email", uniqueEmail("qa")), "attributes", Map.of("testProfile", true)))
        .post("/api/profiles").then().statusCode(201).body("attributes.testProfile", equalTo(true))
        .extract().path("id");
    assertThat(profiles.isTestProfile(tester)).isTrue();

    String customer = createProfile(uniqueEmail("mia"), "Mia");
    String marketer = CampaignFixtures.user(identity, "reserved", "marketers");
    Supplier<RequestSpecification> asMarketer =
        () -> given().auth().preemptive().basic(marketer, marketer + "-pw").contentType(ContentType.JSON);
    asMarketer.get().body(Map.of("testProfile", true)).put("/api/profiles/{id}/test-profile", customer)
        .then().statusCode(200).body("attributes.testProfile", equalTo(true));
    assertThat(profiles.isTestProfile(customer)).isTrue();
    asMarketer.get().body(Map.of("testProfile", false)).put("/api/profiles/{id}/test-profile", customer)
        .then().statusCode(200).body("attributes.testProfile", equalTo(false)).body("attributes.firstName", equalTo("Mia"));
    assertThat(profiles.isTestProfile(customer)).isFalse();

    asMarketer.get().body(Map.of()).put("/api/profiles/{id}/test-profile", customer)
        .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("testProfile"));
    asMarketer.get().body(Map.of("testProfile", true)).put("/api/profiles/{id}/test-profile", "no-such-profile")
        .then().statusCode(404).contentType("application/problem+json");
  }

  @Test
  void aMergeThatTheWriteKeyCausesDoesNotCarryTestModeIntoACustomer() {
    String email = uniqueEmail("cara");
    String customer = createProfile(email, "Cara");
    String qaUser = "qa-" + UUID.randomUUID();
    String tester = api().body(Map.of("identities", Map.of("externalId", qaUser), "attributes", Map.of("testProfile", true)))
        .post("/api/profiles").then().statusCode(201).extract().path("id");

    // one call names the tester's user id and the customer's email: the two profiles merge, the older survives
    given().auth().preemptive().basic(SEGMENT_WRITE_KEY, "").contentType(ContentType.JSON)
        .body(Map.of("type", "identify", "messageId", UUID.randomUUID().toString(), "userId", qaUser,
            "traits", Map.of("email", email)))
        .post("/v1/identify").then().statusCode(200);

    assertThat(profiles.canonicalId(tester)).contains(customer);
    assertThat(profiles.isTestProfile(customer)).as("the customer's treatment survives the merge").isFalse();
  }

  @Test
  void anUpdateProfileStepDropsTestModeThatAnEventsValueSmuggledIntoItsJson() {
    String key = "update-" + UUID.randomUUID().toString().substring(0, 8);
    engine.getRepositoryService().createDeployment().addModelInstance(key + ".bpmn", Bpmn.createExecutableProcess(key)
            .camundaHistoryTimeToLiveString("P1D")
            .startEvent("StartEvent_Entered")
            .serviceTask("Task_RememberNote").camundaDelegateExpression("${updateProfile}")
            .camundaInputParameter("attributes", "{\"note\": \"${note}\"}")
            .endEvent("EndEvent_Done")
            .done())
        .deploy();
    String profileId = createProfile(uniqueEmail("note"), "Nora");
    double before = dropped("journey");

    // "note" as an event's property would carry it: a value that closes the string and adds a key
    engine.getRuntimeService().startProcessInstanceByKey(key, profileId,
        Map.of(Journeys.PROFILE_ID, profileId, "note", "hi\", \"testProfile\": \"true"));

    assertThat(profiles.find(profileId).orElseThrow().attributes()).containsEntry("note", "hi")
        .doesNotContainKey(TEST_PROFILE);
    assertThat(dropped("journey") - before).isEqualTo(1);
  }

  private double dropped(String source) {
    Counter c = meters.find("overture.reserved.attributes.dropped").tag("source", source).counter();
    return c == null ? 0 : c.count();
  }
}
