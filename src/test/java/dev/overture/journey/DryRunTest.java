package dev.overture.journey;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.overture.campaign.CampaignFixtures;
import dev.overture.platform.ApiKeys;
import dev.overture.support.AppTestBase;
import dev.overture.support.TestMail;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A version in dry run beside the live one: every live entry starts a shadow that walks the dry-run version's
 * changed split and sends nothing (each message suppressed as dry-run, counted per step), while the live version
 * sends as before and counts only its own; the API refuses a dry run of the live version and needs the journey right.
 */
class DryRunTest extends AppTestBase {

  private static final int ENTRIES = 200;

  @Autowired JdbcClient jdbc;
  @Autowired ApiKeys keys;
  @Autowired IdentityService identity;
  @Autowired org.camunda.bpm.engine.RepositoryService repository;

  private String key;

  @BeforeEach
  void liveVersionAndADraft() {
    key = "dry-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    // the first version of a new journey through the engine is live; the second through the API a draft
    repository.createDeployment().name(key)
        .addString(key + ".bpmn", bpmn(false)).deploy();
    String author = CampaignFixtures.user(identity, "dry-mia", "marketers");
    api().body(Map.of("bpmn", bpmn(true), "author", author)).post("/api/journeys/{key}/versions", key)
        .then().statusCode(201).body("state", equalTo("draft"));
  }

  @Test
  void aDryRunWalksTheChangedSplitForEveryLiveEntryAndSendsNothing() {
    start(2).then().statusCode(201).body("version", equalTo(2)).body("liveVersion", equalTo(1)).body("open", equalTo(true));
    List<String> emails = new ArrayList<>();
    for (int i = 0; i < ENTRIES; i++) {
      String email = uniqueEmail("dry" + i);
      String profileId = createProfile(email, "D" + i);
      setConsent(profileId, "email", "marketing", "granted");
      emails.add(email);
      api().body(Map.of("profileId", profileId, "variables", Map.of("tier", i % 4 == 0 ? "gold" : "silver")))
          .post("/api/journeys/{key}/entries", key).then().statusCode(201);
    }

    await().atMost(Duration.ofSeconds(120)).until(() -> sentOfVersion(1) == ENTRIES);
    for (String email : emails) {
      assertThat(TestMail.to(email)).as("only the live version's message reaches %s", email).hasSize(1);
    }
    assertThat(jdbc.sql("SELECT COUNT(*) FROM outbox_message o JOIN journey_run r ON r.instance_id = o.process_instance_id "
            + "WHERE r.journey_key = ? AND r.version = 2 AND (o.status <> 'suppressed' OR o.reason NOT LIKE 'dry-run%')")
        .param(key).query(Integer.class).single()).as("v2 rows that are not dry-run suppressions").isZero();

    JsonPath runs = api().get("/api/journeys/{key}/dry-runs", key).then().statusCode(200).extract().jsonPath();
    assertThat(runs.getInt("[0].stats.entered")).as("shadow entries").isEqualTo(ENTRIES);
    assertThat(runs.getInt("[0].stats.elements.find { it.elementId == 'Task_Gold' }.completed")).isEqualTo(ENTRIES / 4);
    assertThat(runs.getInt("[0].stats.elements.find { it.elementId == 'End_Gold' }.completed")).isEqualTo(ENTRIES / 4);
    assertThat(runs.getInt("[0].stats.elements.find { it.elementId == 'End_Other' }.completed")).isEqualTo(ENTRIES * 3 / 4);
    await().atMost(Duration.ofSeconds(20)).until(() -> suppressedDryRun() == ENTRIES / 4);
    assertThat(runs.getInt("[0].liveStats.entered")).isEqualTo(ENTRIES);
    assertThat(runs.getInt("[0].liveStats.elements.find { it.elementId == 'Task_Gold' }.completed")).isEqualTo(ENTRIES);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM journey_entry WHERE journey_key = ?").param(key).query(Integer.class).single())
        .as("entries the re-entry rule reads: the live ones only").isEqualTo(ENTRIES);

    api().delete("/api/journeys/{key}/dry-run", key).then().statusCode(200).body("open", equalTo(false));
    String profileId = createProfile(uniqueEmail("after"), "After");
    api().body(Map.of("profileId", profileId)).post("/api/journeys/{key}/entries", key).then().statusCode(201);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM journey_run WHERE journey_key = ? AND version = 2").param(key)
        .query(Integer.class).single()).as("no shadow after the end").isEqualTo(ENTRIES);
  }

  @Test
  void theLiveVersionCannotRunDryAndBadRequestsAreProblems() {
    start(1).then().statusCode(409).contentType("application/problem+json").body("type", containsString("dry-run-of-live"));
    start(7).then().statusCode(404).body("type", containsString("journey-version"));
    api().body(Map.of("until", Instant.now().minusSeconds(60).toString()))
        .post("/api/journeys/{key}/versions/2/dry-run", key).then().statusCode(400).contentType("application/problem+json");
    start(2).then().statusCode(201);
    start(2).then().statusCode(409).body("type", containsString("dry-run-open"));
    api().delete("/api/journeys/{key}/dry-run", key).then().statusCode(200);
    api().delete("/api/journeys/{key}/dry-run", key).then().statusCode(404).contentType("application/problem+json");
  }

  @Test
  void theDryRunEndpointsNeedTheJourneyRight() {
    String events = keys.create("dry run test " + key, List.of("events:write")).key();
    given().header("Authorization", "Bearer " + events).contentType("application/json")
        .body(Map.of("until", Instant.now().plusSeconds(3600).toString()))
        .post("/api/journeys/{key}/versions/2/dry-run", key).then().statusCode(403).body("detail", containsString("journeys:write"));
    given().header("Authorization", "Bearer " + events).delete("/api/journeys/{key}/dry-run", key).then().statusCode(403);
    given().header("Authorization", "Bearer " + events).get("/api/journeys/{key}/dry-runs", key).then().statusCode(403);
    given().get("/api/journeys/{key}/dry-runs", key).then().statusCode(401);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM journey_dry_run WHERE journey_key = ?").param(key).query(Integer.class).single()).isZero();
  }

  private io.restassured.response.Response start(int version) {
    return api().body(Map.of("until", Instant.now().plusSeconds(3600).toString()))
        .post("/api/journeys/{key}/versions/{v}/dry-run", key, version);
  }

  private int sentOfVersion(int version) {
    return jdbc.sql("SELECT COUNT(*) FROM outbox_message o JOIN journey_run r ON r.instance_id = o.process_instance_id "
        + "WHERE r.journey_key = ? AND r.version = ? AND o.status = 'sent'").params(key, version).query(Integer.class).single();
  }

  private long suppressedDryRun() {
    return jdbc.sql("SELECT COALESCE(SUM(messages), 0) FROM journey_message_count WHERE journey_key = ? AND version = 2 "
        + "AND element_id = 'Task_Gold' AND outcome = 'suppressed:dry-run'").param(key).query(Long.class).single();
  }

  /** v1 sends the welcome email to everyone; v2 (split) only to gold customers. */
  private String bpmn(boolean split) {
    String send = """
        <bpmn:serviceTask id="Task_Gold" name="Send welcome" camunda:delegateExpression="${sendMessage}">
          <bpmn:extensionElements><camunda:properties>
            <camunda:property name="channel" value="email" />
            <camunda:property name="creativeKey" value="welcome" />
            <camunda:property name="purpose" value="marketing" />
          </camunda:properties></bpmn:extensionElements>
          <bpmn:incoming>%s</bpmn:incoming>
          <bpmn:outgoing>Flow_Sent</bpmn:outgoing>
        </bpmn:serviceTask>
        <bpmn:endEvent id="End_Gold"><bpmn:incoming>Flow_Sent</bpmn:incoming></bpmn:endEvent>
        <bpmn:sequenceFlow id="Flow_Sent" sourceRef="Task_Gold" targetRef="End_Gold" />""";
    String steps = !split ? send.formatted("Flow_Entered")
        + "<bpmn:sequenceFlow id=\"Flow_Entered\" sourceRef=\"StartEvent_Entered\" targetRef=\"Task_Gold\" />"
        : """
        <bpmn:exclusiveGateway id="Gateway_Tier" name="Gold?" default="Flow_Other">
          <bpmn:incoming>Flow_Entered</bpmn:incoming>
          <bpmn:outgoing>Flow_Gold</bpmn:outgoing>
          <bpmn:outgoing>Flow_Other</bpmn:outgoing>
        </bpmn:exclusiveGateway>
        <bpmn:sequenceFlow id="Flow_Entered" sourceRef="StartEvent_Entered" targetRef="Gateway_Tier" />
        <bpmn:sequenceFlow id="Flow_Gold" sourceRef="Gateway_Tier" targetRef="Task_Gold">
          <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${tier == 'gold'}</bpmn:conditionExpression>
        </bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="Flow_Other" sourceRef="Gateway_Tier" targetRef="End_Other" />
        <bpmn:endEvent id="End_Other"><bpmn:incoming>Flow_Other</bpmn:incoming></bpmn:endEvent>
        """ + send.formatted("Flow_Gold");
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_%1$s" targetNamespace="https://overture.dev/bpmn/test">
          <bpmn:process id="%1$s" name="Dry-run journey" isExecutable="true" camunda:historyTimeToLive="P1D">
            <bpmn:startEvent id="StartEvent_Entered"><bpmn:outgoing>Flow_Entered</bpmn:outgoing></bpmn:startEvent>
            %2$s
          </bpmn:process>
        </bpmn:definitions>
        """.formatted(key, steps);
  }
}
