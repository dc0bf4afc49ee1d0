package dev.overture.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.overture.support.AppTestBase;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.beans.factory.annotation.Autowired;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Nothing but health and the docs answers without credentials. */
class SecurityTest extends AppTestBase {

  @Autowired
  IdentityService identity;

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
  void healthIsOpen() {
    given().get("/actuator/health").then().statusCode(200).body("status", equalTo("UP"));
  }
}
