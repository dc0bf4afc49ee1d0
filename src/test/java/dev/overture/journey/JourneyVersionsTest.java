package dev.overture.journey;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.overture.campaign.CampaignFixtures;
import dev.overture.platform.FourEyesViolation;
import dev.overture.profile.Profiles;
import dev.overture.segment.Segments;
import dev.overture.support.AppTestBase;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A new journey version is a draft until a compliance officer other than its author approves it in Tasklist: until
 * then entries (REST), events (message start) and enrollments go to the live version; deployments from Camunda Modeler
 * are drafts, and broken ones answer as Camunda answers its own parse errors.
 */
class JourneyVersionsTest extends AppTestBase {

  @Autowired RepositoryService repository;
  @Autowired RuntimeService runtime;
  @Autowired TaskService tasks;
  @Autowired org.camunda.bpm.engine.ManagementService management;
  @Autowired IdentityService identity;
  @Autowired Profiles profiles;
  @Autowired Segments segments;

  private String key;
  private String startEvent;
  private String author;
  private String officer;

  @BeforeEach
  void journey() {
    key = "versioned-" + UUID.randomUUID().toString().substring(0, 8);
    startEvent = "v" + UUID.randomUUID().toString().substring(0, 8) + ".started";
    author = CampaignFixtures.user(identity, "mia", "marketers", "compliance-officers");
    officer = CampaignFixtures.user(identity, "olga", "compliance-officers");
  }

  @Test
  void aModelerDeploymentWithTwoBrokenElementsAnswers400ParseExceptionWithBothElementIdsAndDeploysNothing() {
    String broken = bpmn("P2D", "Wait two days")
        .replace("camunda:delegateExpression=\"${checkConsent}\"", "camunda:delegateExpression=\"${checkConsnt}\"")
        .replace("name=\"" + startEvent + "\"", "name=\"Purchase Completed\"");

    JsonPath answer = modelerDeploy(broken).then().statusCode(400).extract().jsonPath();

    assertThat(answer.getString("type")).isEqualTo("ParseException");
    Map<String, Object> report = answer.getMap("details.'" + key + ".bpmn'");
    List<Map<String, Object>> errors = answer.getList("details.'" + key + ".bpmn'.errors");
    assertThat(report).isNotNull();
    assertThat(errors).extracting(e -> e.get("mainElementId")).contains("Task_CheckConsent", "Message_Started");
    assertThat(errors).allSatisfy(e -> assertThat((Integer) e.get("line")).isPositive());
    assertThat(errors).anySatisfy(e -> assertThat((String) e.get("message")).contains("is not an event type"));
    assertThat(repository.createProcessDefinitionQuery().processDefinitionKey(key).count()).isZero();
  }

  @Test
  void aModelerDeploymentOfANewJourneyIsADraftThatTakesNoEntries() {
    modelerDeploy(bpmn("P2D", "Wait two days")).then().statusCode(200);

    api().get("/api/journeys/{key}", key).then().statusCode(200)
        .body("liveVersion", equalTo(null))
        .body("versions[0].state", equalTo("draft"))
        .body("versions[0].author", equalTo(ADMIN));
    assertThat(repository.createProcessDefinitionQuery().processDefinitionKey(key).singleResult().isSuspended()).isTrue();
    api().body(Map.of("profileId", createProfile(uniqueEmail("draft"), "Dora"))).post("/api/journeys/{key}/entries", key)
        .then().statusCode(409).body("type", containsString("journey-not-live"));
    // nor does Camunda's own API start a draft: by key, nor through its message start subscription
    assertThatThrownBy(() -> runtime.startProcessInstanceByKey(key, "p-1")).hasMessageContaining("suspended");
    assertThatThrownBy(() -> runtime.createMessageCorrelation(startEvent).processInstanceBusinessKey("p-1").correlateStartMessage())
        .isInstanceOf(org.camunda.bpm.engine.MismatchingMessageCorrelationException.class);
    assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(key).count()).isZero();
  }

  @Test
  void aModelerDeploymentOfTheLiveVersionsVeryBpmnHasNothingToReviewAndIsLiveAtOnce() {
    String same = bpmn("P2D", "Wait two days");
    repository.createDeployment().name(key).addString(key + ".bpmn", same).deploy();
    modelerDeploy(same, false).then().statusCode(200);

    api().get("/api/journeys/{key}", key).then().statusCode(200)
        .body("liveVersion", equalTo(2)).body("versions.state", equalTo(List.of("retired", "live")));
  }

  @Test
  void entriesEventsAndEnrollmentsGoToTheLiveVersionUntilTheDraftIsApprovedThenToTheNewOne() {
    repository.createDeployment().name(key).addString(key + ".bpmn", bpmn("P2D", "Wait two days")).deploy();
    deployDraft(bpmn("P3D", "Wait three days"));
    api().get("/api/journeys/{key}", key).then().statusCode(200)
        .body("liveVersion", equalTo(1)).body("versions.state", equalTo(List.of("live", "draft")));

    enterByRest();
    sendStartEvent();
    enrollOne();
    await().atMost(Duration.ofSeconds(20)).until(() -> running(1) == 3);
    assertThat(running(2)).isZero();

    api().post("/api/journeys/{key}/versions/2/submit", key).then().statusCode(200).body("state", equalTo("in_review"));
    Task review = reviewTask();
    assertThat((String) tasks.getVariable(review.getId(), "changes"))
        .contains("Steps changed").contains("Event_Wait").contains("after P3D");
    enterByRest();
    assertThat(running(1)).isEqualTo(4);

    decide(review, officer, "approve", null);

    api().get("/api/journeys/{key}", key).then().statusCode(200)
        .body("liveVersion", equalTo(2)).body("versions.state", equalTo(List.of("retired", "live")))
        .body("versions[1].reviewer", equalTo(officer)).body("versions[1].author", equalTo(author))
        .body("versions[0].running", equalTo(4));
    enterByRest();
    sendStartEvent();
    enrollOne();
    await().atMost(Duration.ofSeconds(20)).until(() -> running(2) == 3);
    assertThat(running(1)).isEqualTo(4);

    // the retired version takes no new instances, but its customers go on: its timers fire, new jobs are born active
    String v1 = definition(1);
    assertThat(repository.getProcessDefinition(v1).isSuspended()).isTrue();
    assertThat(management.createJobDefinitionQuery().processDefinitionId(v1).suspended().count()).isZero();
    org.camunda.bpm.engine.runtime.Job wait = management.createJobQuery().processDefinitionId(v1).list().get(0);
    assertThat(wait.isSuspended()).isFalse();
    management.executeJob(wait.getId());
    assertThat(running(1)).isEqualTo(3);
  }

  @Test
  void theAuthorCannotApproveTheirOwnVersionAndARejectionReturnsItToDraftWithTheComment() {
    repository.createDeployment().name(key).addString(key + ".bpmn", bpmn("P2D", "Wait two days")).deploy();
    deployDraft(bpmn("P3D", "Wait three days"));
    api().post("/api/journeys/{key}/versions/2/submit", key).then().statusCode(200);

    assertThatThrownBy(() -> decide(reviewTask(), author, "approve", null))
        .hasRootCauseInstanceOf(FourEyesViolation.class)
        .hasMessageContaining("Four-eyes rule").hasMessageContaining("wrote");
    assertThatThrownBy(() -> decide(reviewTask(), officer, "reject", " "))
        .hasRootCauseInstanceOf(FourEyesViolation.class).hasMessageContaining("needs a comment");
    decide(reviewTask(), officer, "reject", "Three days is too long for a welcome");

    api().get("/api/journeys/{key}", key).then().statusCode(200)
        .body("liveVersion", equalTo(1)).body("versions[1].state", equalTo("draft"))
        .body("versions[1].reviewComment", equalTo("Three days is too long for a welcome"))
        .body("versions[1].reviewer", equalTo(officer));
  }

  @Test
  void aRollbackToARetiredVersionIsReviewedToo() {
    repository.createDeployment().name(key).addString(key + ".bpmn", bpmn("P2D", "Wait two days")).deploy();
    deployDraft(bpmn("P3D", "Wait three days"));
    api().post("/api/journeys/{key}/versions/2/submit", key).then().statusCode(200);
    decide(reviewTask(), officer, "approve", null);

    api().post("/api/journeys/{key}/versions/2/activate", key).then().statusCode(409);
    api().post("/api/journeys/{key}/versions/1/activate", key).then().statusCode(200).body("state", equalTo("in_review"));
    enterByRest();
    assertThat(running(2)).isEqualTo(1);
    decide(reviewTask(), officer, "approve", "Back to two days");

    api().get("/api/journeys/{key}", key).then().statusCode(200)
        .body("liveVersion", equalTo(1)).body("versions.state", equalTo(List.of("live", "retired")));
    enterByRest();
    assertThat(running(1)).isEqualTo(1);
  }

  @Test
  void theVersionEndpointsNeedTheJourneyRight() {
    repository.createDeployment().name(key).addString(key + ".bpmn", bpmn("P2D", "Wait two days")).deploy();
    String key2 = CampaignFixtures.unique("no-journeys");
    given().auth().preemptive().basic(officer, officer + "-pw").contentType("application/json")
        .body(Map.of("bpmn", bpmn("P3D", "x"))).post("/api/journeys/{key}/versions", key)
        .then().statusCode(403).body("detail", containsString("journeys:write"));
    given().auth().preemptive().basic(officer, officer + "-pw")
        .post("/api/journeys/{key}/versions/1/submit", key).then().statusCode(403);
    given().auth().preemptive().basic(officer, officer + "-pw")
        .post("/api/journeys/{key}/versions/1/activate", key).then().statusCode(403);
    given().contentType("application/json").body(Map.of("bpmn", "x")).post("/api/journeys/{key}/versions", key2)
        .then().statusCode(401);
    given().post("/api/journeys/{key}/versions/1/submit", key).then().statusCode(401);
    given().post("/api/journeys/{key}/versions/1/activate", key).then().statusCode(401);
  }

  @Test
  void aMarketerDeploysADraftAsThemselvesAndOnlyAsThemselves() {
    repository.createDeployment().name(key).addString(key + ".bpmn", bpmn("P2D", "Wait two days")).deploy();
    given().auth().preemptive().basic(author, author + "-pw").contentType("application/json")
        .body(Map.of("bpmn", bpmn("P1D", "Wait a day"), "author", officer)).post("/api/journeys/{key}/versions", key)
        .then().statusCode(422).body("type", containsString("author-mismatch"));
    given().auth().preemptive().basic(author, author + "-pw").contentType("application/json")
        .body(Map.of("bpmn", bpmn("P1D", "Wait a day"))).post("/api/journeys/{key}/versions", key)
        .then().statusCode(201).body("version", equalTo(2)).body("state", equalTo("draft"));

    api().get("/api/journeys/{key}", key).then().body("versions[1].author", equalTo(author));
    api().body(Map.of("bpmn", bpmn("P1D", "Wait a day"), "author", author)).post("/api/journeys/{key}/versions", key)
        .then().statusCode(409).body("type", containsString("journey-version-unchanged"));
  }

  @Test
  void brokenBpmnThroughTheApiIsA400NamingTheElement() {
    api().body(Map.of("bpmn", bpmn("two days", "Wait"), "author", author)).post("/api/journeys/{key}/versions", key)
        .then().statusCode(400).body("detail", containsString("element 'Event_Wait'"));
    api().body(Map.of("bpmn", bpmn("P2D", "Wait"))).post("/api/journeys/{key}/versions", key)
        .then().statusCode(422).body("type", containsString("author-required"));
  }

  private void deployDraft(String bpmn) {
    api().body(Map.of("bpmn", bpmn, "author", author)).post("/api/journeys/{key}/versions", key)
        .then().statusCode(201).body("state", equalTo("draft"));
  }

  private io.restassured.response.Response modelerDeploy(String bpmn) {
    return modelerDeploy(bpmn, true);
  }

  private io.restassured.response.Response modelerDeploy(String bpmn, boolean changedOnly) {
    // what Camunda Modeler's Deploy button sends
    return given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD)
        .multiPart("deployment-name", key)
        .multiPart("deployment-source", "Camunda Modeler")
        .multiPart("deploy-changed-only", String.valueOf(changedOnly))
        .multiPart(key + ".bpmn", key + ".bpmn", bpmn.getBytes(StandardCharsets.UTF_8), "application/octet-stream")
        .post("/engine-rest/deployment/create");
  }

  private long running(int version) {
    return runtime.createProcessInstanceQuery().processDefinitionId(definition(version)).count();
  }

  private String definition(int version) {
    return repository.createProcessDefinitionQuery().processDefinitionKey(key).processDefinitionVersion(version)
        .singleResult().getId();
  }

  private void enterByRest() {
    api().body(Map.of("profileId", createProfile(uniqueEmail("rest"), "Rita"))).post("/api/journeys/{key}/entries", key)
        .then().statusCode(201);
  }

  private void sendStartEvent() {
    String profile = createProfile(uniqueEmail("event"), "Eve");
    api().body(Map.of("eventId", UUID.randomUUID().toString(), "type", startEvent, "profileId", profile))
        .post("/api/events").then().statusCode(202);
  }

  private void enrollOne() {
    String cohort = UUID.randomUUID().toString();
    Map<String, Object> attrs = new HashMap<>();
    attrs.put("cohort", cohort);
    profiles.upsert(Map.of("email", uniqueEmail("enrolled")), attrs);
    String segment = "aud-" + UUID.randomUUID().toString().substring(0, 8);
    segments.define(segment, "Audience", "cohort = \"" + cohort + "\"");
    api().body(Map.of("segmentKey", segment)).post("/api/journeys/{key}/enrollments", key).then().statusCode(202);
  }

  private Task reviewTask() {
    return VersionReviewFixtures.reviewTask(tasks, key);
  }

  private void decide(Task task, String user, String decision, String comment) {
    VersionReviewFixtures.decide(tasks, identity, task, user, decision, comment);
  }

  /** start (none, or the message {@link #startEvent}) → check consent → a timer → end. */
  private String bpmn(String duration, String waitName) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
            id="Definitions_Versioned" targetNamespace="https://overture.dev/test">
          <bpmn:process id="%1$s" isExecutable="true" camunda:historyTimeToLive="P1D">
            <bpmn:extensionElements><camunda:properties>
              <camunda:property name="overture:reentry" value="always" />
            </camunda:properties></bpmn:extensionElements>
            <bpmn:startEvent id="StartEvent_Entered" />
            <bpmn:startEvent id="StartEvent_Event"><bpmn:messageEventDefinition id="Def_Started" messageRef="Message_Started" /></bpmn:startEvent>
            <bpmn:serviceTask id="Task_CheckConsent" name="Check consent" camunda:delegateExpression="${checkConsent}">
              <bpmn:extensionElements><camunda:inputOutput>
                <camunda:inputParameter name="channel">email</camunda:inputParameter>
                <camunda:inputParameter name="purpose">marketing</camunda:inputParameter>
              </camunda:inputOutput></bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:intermediateCatchEvent id="Event_Wait" name="%3$s">
              <bpmn:timerEventDefinition id="TimerEventDefinition_Wait">
                <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">%2$s</bpmn:timeDuration>
              </bpmn:timerEventDefinition>
            </bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="EndEvent_Done" />
            <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_Entered" targetRef="Task_CheckConsent" />
            <bpmn:sequenceFlow id="Flow_1b" sourceRef="StartEvent_Event" targetRef="Task_CheckConsent" />
            <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_CheckConsent" targetRef="Event_Wait" />
            <bpmn:sequenceFlow id="Flow_3" sourceRef="Event_Wait" targetRef="EndEvent_Done" />
          </bpmn:process>
          <bpmn:message id="Message_Started" name="%4$s" />
        </bpmn:definitions>
        """.formatted(key, duration, waitName, startEvent);
  }
}
