package dev.overture.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.overture.campaign.CampaignFixtures;
import dev.overture.support.AppTestBase;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.beans.factory.annotation.Autowired;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Nothing but health and the docs answers without credentials; with them, each caller only what its groups or scopes allow. */
class SecurityTest extends AppTestBase {

  @Autowired
  IdentityService identity;
  @Autowired
  ApiKeys apiKeys;

  @ParameterizedTest
  @CsvSource({
      "POST, /api/profiles",
      "GET, /api/profiles/some-id",
      "GET, /api/profiles?email=a@example.com",
      "PUT, /api/profiles/some-id/consents/email",
      "GET, /api/profiles/some-id/consents",
      "POST, /api/journeys/welcome/entries",
      "GET, /api/journeys/welcome/entries/some-id",
      "POST, /api/events",
      "GET, /api/deliveries?profileId=x",
      "GET, /api/deliveries/some-id",
      "GET, /engine-rest/process-definition",
      "GET, /camunda/api/engine/engine/default/process-definition",
      "GET, /camunda/api/cockpit/plugin/base/default/process-definition/statistics",
  })
  void protectedEndpointAnswers401WithoutCredentials(String method, String path) {
    given().contentType("application/json").body("{}").request(method, path).then().statusCode(401);
  }

  @Test
  void apiRefusesWrongKeyWithProblem() {
    given().header("Authorization", "Bearer not-a-key").get("/api/deliveries?profileId=x")
        .then().statusCode(401).contentType("application/problem+json")
        .body("type", containsString("unauthenticated"));
  }

  @Test
  void apiAcceptsApiKeyAndCamundaUser() {
    api().get("/api/deliveries?profileId=x").then().statusCode(200);
    given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).get("/api/deliveries?profileId=x").then().statusCode(200);
  }

  @Test
  void apiRefusesWrongPassword() {
    // a failed login locks the user for a few seconds, so this uses its own user
    User mallory = identity.newUser("mallory" + UUID.randomUUID().toString().substring(0, 8));
    mallory.setPassword("the-right-password");
    identity.saveUser(mallory);
    given().auth().preemptive().basic(mallory.getId(), "the-wrong-password").get("/api/deliveries?profileId=x")
        .then().statusCode(401);
  }

  @Test
  void engineRestAcceptsCamundaUser() {
    given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).get("/engine-rest/process-definition/key/welcome")
        .then().statusCode(200).body("key", equalTo("welcome"));
  }

  @Test
  void aCreativeReviewerCannotExportEraseRecordConsentOrPostEvents() {
    String reviewer = CampaignFixtures.user(identity, "reviewer", "creative-reviewers");
    String profileId = createProfile(uniqueEmail("guarded"), "Ada");

    as(reviewer).get("/api/profiles/{id}/export", profileId).then().statusCode(403)
        .contentType("application/problem+json")
        .body("detail", equalTo("GET /api/profiles/" + profileId + "/export needs group privacy-officers or scope privacy"));
    as(reviewer).delete("/api/profiles/{id}", profileId).then().statusCode(403);
    as(reviewer).body(Map.of("purpose", "marketing", "status", "granted", "source", "test"))
        .put("/api/profiles/{id}/consents/email", profileId).then().statusCode(403)
        .body("detail", containsString("needs group privacy-officers or scope consents:write"));
    as(reviewer).body(Map.of("eventId", "e", "type", "x", "profileId", profileId)).post("/api/events").then().statusCode(403)
        .body("detail", containsString("needs scope events:write"));

    api().get("/api/profiles/{id}", profileId).then().statusCode(200);
  }

  @Test
  void aPrivacyOfficerExportsAndErasesAProfile() {
    assertThat(identity.createGroupQuery().groupId("privacy-officers").count()).as("created at start-up").isEqualTo(1);
    String officer = CampaignFixtures.user(identity, "privacy", "privacy-officers");
    String profileId = createProfile(uniqueEmail("erased"), "Bo");

    as(officer).get("/api/profiles/{id}/export", profileId).then().statusCode(200);
    as(officer).delete("/api/profiles/{id}", profileId).then().statusCode(200);
  }

  @Test
  void theSegmentWriteKeyReachesOnlyTheSegmentApi() {
    given().auth().preemptive().basic(SEGMENT_WRITE_KEY, "").get("/api/deliveries?profileId=x").then().statusCode(403)
        .contentType("application/problem+json").body("detail", containsString("a Segment write key reaches /v1/* only"));
  }

  @Test
  void anApiKeyWithEventsWriteMayCallTheSegmentApiAndOthersMayNot() {
    Map<String, Object> track = Map.of("userId", "u-" + UUID.randomUUID(), "event", "Signed Up");
    String writer = apiKeys.create("segment server", List.of("events:write")).key();
    String reader = apiKeys.create("reader", List.of("profiles:read")).key();

    given().header("Authorization", "Bearer " + writer).contentType(ContentType.JSON).body(track).post("/v1/track")
        .then().statusCode(200).body("success", equalTo(true));
    given().header("Authorization", "Bearer " + reader).contentType(ContentType.JSON).body(track).post("/v1/track")
        .then().statusCode(403).body("detail", containsString("needs a Segment write key or scope events:write"));
  }

  @Test
  void aPathThatClimbsOutOfItsRuleIsRefused() throws Exception {
    // a privacy officer may read suppressions; "/api/suppressions/../keys" would be the key list
    String officer = CampaignFixtures.user(identity, "climber", "privacy-officers");
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/suppressions/../keys"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((officer + ":" + officer + "-pw").getBytes()))
        .build();
    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("malformed-path").doesNotContain("bootstrap");
  }

  private RequestSpecification as(String user) {
    return given().auth().preemptive().basic(user, user + "-pw").contentType(ContentType.JSON);
  }

  @Test
  void healthIsOpen() {
    given().get("/actuator/health").then().statusCode(200).body("status", equalTo("UP"));
  }
}
