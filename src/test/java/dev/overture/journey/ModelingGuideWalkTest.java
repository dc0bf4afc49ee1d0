package dev.overture.journey;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.delivery.Deliveries;
import dev.overture.delivery.Delivery;
import dev.overture.support.AppTestBase;
import dev.overture.support.JourneyRuns;
import dev.overture.support.TestJourneys;
import dev.overture.support.TestMail;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A modeler's walk through docs/modeling-guide.md's worked example: the journey drawn with the templates
 * (a Wait (duration), a Wait (until date) and a Wait (until local time)) is deployed as Modeler deploys it and
 * approved in review, a test profile enters, and the job executor takes it to the end in well under a minute, its email in the file
 * outbox and none at the SMTP server.
 */
class ModelingGuideWalkTest extends AppTestBase {

  private static final Logger log = LoggerFactory.getLogger(ModelingGuideWalkTest.class);

  @Autowired JourneyProperties props;
  @Autowired JdbcClient jdbc;
  @Autowired Deliveries deliveries;
  @Autowired JourneyVersions versions;
  @Autowired org.camunda.bpm.engine.TaskService tasks;
  @Autowired org.camunda.bpm.engine.IdentityService identity;

  @Test
  void aTestProfileWalksTheGuidesJourneyInWellUnderAMinute() {
    String key = deployAsModelerDoes();
    // a Modeler deployment is a draft: a compliance officer approves it before anyone enters
    VersionReviewFixtures.approve(versions, tasks, identity, key, 1);
    String email = uniqueEmail("walk");
    String profileId = api().body(Map.of("identities", Map.of("email", email, "deviceToken", "walk-" + email),
            "attributes", Map.of("firstName", "Wanda", "testProfile", true)))
        .post("/api/profiles").then().statusCode(201).extract().path("id");
    setConsent(profileId, "email", "marketing", "granted");
    setConsent(profileId, "push", "marketing", "granted");

    Instant entered = Instant.now();
    api().body(Map.of("profileId", profileId)).post("/api/journeys/{key}/entries", key).then().statusCode(201);
    String instanceId = jdbc.sql("SELECT process_instance_id FROM journey_entry WHERE journey_key = ? AND profile_id = ?")
        .params(key, profileId).query(String.class).single();

    await().atMost(Duration.ofSeconds(30)).until(() -> JourneyRuns.endElement(jdbc, instanceId) != null);
    Duration walked = Duration.between(entered, Instant.now());
    log.info("The guide's journey took a test profile {} ms with a test-mode wait of {}", walked.toMillis(), props.testModeWait());

    assertThat(JourneyRuns.endElement(jdbc, instanceId)).as("past all three waits and the split")
        .isIn("EndEvent_Control", "EndEvent_PushSent");
    Delivery mail = await().atMost(Duration.ofSeconds(10)).until(() -> sentEmail(profileId), d -> d != null);
    assertThat(Path.of("target/test-outbox", mail.id() + ".eml")).exists();
    assertThat(TestMail.to(email)).as("nothing reaches the SMTP server for a test profile").isEmpty();
  }

  /** POST /engine-rest/deployment/create, as Camunda Modeler's deploy button sends it. */
  private String deployAsModelerDoes() {
    TestJourneys.Keyed journey = TestJourneys.xml("guide-cart-abandoned.bpmn", "guide-walk");
    // its own start message: the other tests' cart.abandoned events must not start it
    String bpmn = journey.bpmn().replace("name=\"cart.abandoned\"", "name=\"" + journey.key() + ".abandoned\"");
    given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD)
        .multiPart("deployment-name", journey.key())
        .multiPart("deployment-source", "Camunda Modeler")
        .multiPart("data", journey.key() + ".bpmn", bpmn.getBytes(StandardCharsets.UTF_8), "application/octet-stream")
        .post("/engine-rest/deployment/create")
        .then().statusCode(200);
    return journey.key();
  }

  private Delivery sentEmail(String profileId) {
    List<Delivery> sent = deliveries.ofProfile(profileId).stream()
        .filter(d -> "email".equals(d.channel()) && Delivery.SENT.equals(d.status())).toList();
    return sent.isEmpty() ? null : sent.get(0);
  }
}
