package dev.overture.journey;

import dev.overture.delivery.internal.FinalState;
import dev.overture.delivery.internal.OutboxClaims;
import dev.overture.delivery.internal.OutboxRecords;
import dev.overture.delivery.internal.Outcomes;
import dev.overture.event.CustomerEvent;
import dev.overture.event.Events;
import dev.overture.profile.Profiles;
import dev.overture.support.AppTestBase;
import io.restassured.path.json.JsonPath;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/journeys/{key}/stats on a journey of its own, with nine instances taken to every end by hand
 * (so the expected numbers are counted here, not computed) and messages whose outcomes go through the outbox's
 * and the tracking endpoints' write paths, which move the message counters.
 */
class JourneyStatsApiTest extends AppTestBase {

  @Autowired RepositoryService repository;
  @Autowired RuntimeService runtime;
  @Autowired ManagementService management;
  @Autowired Journeys journeys;
  @Autowired Profiles profiles;
  @Autowired Events events;
  @Autowired JdbcClient jdbc;
  @Autowired OutboxClaims outbox;
  @Autowired OutboxRecords records;
  @Autowired Outcomes outcomes;
  @Autowired TransactionTemplate tx;

  private String key;
  private String bought;
  private String left;
  private final List<String> instances = new ArrayList<>();
  private final List<String> profileIds = new ArrayList<>();

  @BeforeEach
  void nineInstancesAtEveryEnd() {
    String id = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    key = "stats-" + id;
    bought = id + ".bought";
    left = id + ".left";
    deploy();
    for (int i = 0; i < 9; i++) {
      String profileId = profiles.upsert(Map.of("email", "stats-" + UUID.randomUUID() + "@example.com"), Map.of()).profile().id();
      profileIds.add(profileId);
      instances.add(journeys.enter(key, profileId, Map.of("skip", i == 0), null).entry().processInstanceId());
    }
    // 0 took the skip path; 1 reaches the goal; 2 waits out the timer; 3 leaves by an event; 4 exits by API;
    // 5 is cancelled in Cockpit's way; 6 is erased; 7 and 8 wait
    send(bought, profileIds.get(1));
    management.executeJob(management.createJobQuery().processInstanceId(instances.get(2)).singleResult().getId());
    send(left, profileIds.get(3));
    api().delete("/api/journeys/{key}/profiles/{id}", key, profileIds.get(4)).then().statusCode(204);
    runtime.deleteProcessInstance(instances.get(5), "cancelled by an operator");
    api().delete("/api/profiles/{id}", profileIds.get(6)).then().statusCode(200);
  }

  @Test
  void countsEveryInstanceAndElementAsTheyWereTaken() {
    JsonPath stats = api().get("/api/journeys/{key}/stats", key).then().statusCode(200).extract().jsonPath();

    assertThat(stats.getString("journeyKey")).isEqualTo(key);
    assertThat(stats.getMap("").keySet()).contains("version", "from", "to");
    assertThat(stats.getInt("entered")).isEqualTo(9);
    assertThat(stats.getInt("active")).isEqualTo(2);
    assertThat(stats.getInt("completed")).isEqualTo(7);
    assertThat(stats.getMap("exited")).containsExactlyInAnyOrderEntriesOf(Map.of("completed", 2, "goal_reached", 1,
        "exited_by_event", 1, "exited_by_api", 1, "cancelled", 1, "erased", 1));
    // elementId -> entered, active, completed
    Map<String, List<Integer>> expected = Map.ofEntries(
        Map.entry("StartEvent_Entered", List.of(9, 0, 9)),
        Map.entry("Gateway_Path", List.of(9, 0, 9)),
        Map.entry("EndEvent_Skipped", List.of(1, 0, 1)),
        Map.entry("Gateway_Wait", List.of(8, 2, 2)),
        Map.entry("Event_Bought", List.of(1, 0, 1)),
        Map.entry("EndEvent_Bought", List.of(1, 0, 1)),
        Map.entry("Event_Timer", List.of(1, 0, 1)),
        Map.entry("EndEvent_Done", List.of(1, 0, 1)),
        Map.entry("SubProcess_Left", List.of(1, 0, 1)),
        Map.entry("StartEvent_Left", List.of(1, 0, 1)),
        Map.entry("EndEvent_Left", List.of(1, 0, 1)));
    List<Map<String, Object>> elements = stats.getList("elements");
    assertThat(elements).extracting(e -> e.get("elementId")).containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Map<String, Object> e : elements) {
      assertThat(List.of(e.get("entered"), e.get("active"), e.get("completed"))).as("%s", e.get("elementId"))
          .isEqualTo(expected.get((String) e.get("elementId")));
    }
    assertThat(elements).filteredOn(e -> e.get("elementId").equals("Gateway_Wait")).singleElement()
        .satisfies(e -> {
          assertThat(e.get("type")).isEqualTo("eventBasedGateway");
          assertThat(e.get("name")).isEqualTo("Bought within three days?");
        });
    assertThat(stats.getList("daily")).containsExactly(Map.of("day", LocalDate.now(ZoneOffset.UTC).toString(), "entered", 9));
    assertThat(stats.getList("messages")).isEmpty();
  }

  @Test
  void versionAndEntryTimeSelectTheInstances() {
    assertThat(api().get("/api/journeys/{key}/stats?version=1", key).then().statusCode(200).extract().jsonPath()
        .getInt("entered")).isEqualTo(9);
    Instant now = Instant.now();
    JsonPath later = api().get("/api/journeys/{key}/stats?from={from}", key, now.plusSeconds(7200).toString())
        .then().statusCode(200).extract().jsonPath();
    assertThat(later.getInt("entered")).isZero();
    assertThat(later.getString("from")).isNotNull();
    assertThat(later.getList("elements.entered", Integer.class)).containsOnly(0);
    assertThat(later.getList("daily")).isEmpty();
    assertThat(api().get("/api/journeys/{key}/stats?from={from}&to={to}", key, now.minusSeconds(7200).toString(),
        now.plusSeconds(7200).toString()).then().statusCode(200).extract().jsonPath().getInt("entered")).isEqualTo(9);
    assertThat(api().get("/api/journeys/{key}/stats?to={to}", key, now.minusSeconds(7200).toString())
        .then().statusCode(200).extract().jsonPath().getInt("entered")).isZero();
    api().get("/api/journeys/{key}/stats?version=2", key).then().statusCode(404).contentType("application/problem+json");
    api().get("/api/journeys/{key}/stats?from=yesterday", key).then().statusCode(400).contentType("application/problem+json");
  }

  @Test
  void anUnknownJourneyOrAnApprovalProcessIsANotFoundProblem() {
    api().get("/api/journeys/{key}/stats", "no-such-journey").then().statusCode(404).contentType("application/problem+json");
    api().get("/api/journeys/{key}/stats", "campaign-launch").then().statusCode(404).contentType("application/problem+json");
  }

  @Test
  void messagesCountPerSendStepFromTheCountersTheOutcomesMove() {
    String instance = instances.get(7);
    String profileId = profileIds.get(7);
    String opened = claimed(instance, profileId, "Task_Send");
    String openedAndClicked = claimed(instance, profileId, "Task_Send");
    String unsubscribed = claimed(instance, profileId, "Task_Send");
    String bounced = claimed(instance, profileId, "Task_Send");
    List<FinalState> finals = List.of(end(opened, "sent", null), end(openedAndClicked, "sent", null), end(unsubscribed, "sent", null),
        end(bounced, "sent", null), end(claimed(instance, profileId, "Task_Send"), "failed", "provider answered 400"),
        end(claimed(instance, profileId, "Task_Send"), "suppressed", "no marketing consent for email at send time"),
        end(claimed(instance, profileId, "Task_Send"), "suppressed", "no marketing consent for email at send time"),
        end(claimed(instance, profileId, "Task_Send"), "suppressed", "frequency cap reached: 3 per 7 days email"));
    List<FinalState> taken = tx.execute(status -> outbox.finishAll(finals));
    assertThat(taken).hasSize(8);
    claimed(instance, profileId, "Task_Other");
    // a retried batch and a repeated bounce find the rows no longer claimed or sent: nothing counts twice
    List<FinalState> retaken = tx.execute(status -> outbox.finishAll(finals));
    assertThat(retaken).isEmpty();
    Boolean first = tx.execute(status -> outbox.markBounced(bounced, "hard bounce reported by the provider: gone"));
    Boolean again = tx.execute(status -> outbox.markBounced(bounced, "hard bounce reported by the provider: gone"));
    assertThat(first).isTrue();
    assertThat(again).isFalse();
    feedback(opened, profileId, "opened", null);
    feedback(openedAndClicked, profileId, "opened", null);
    feedback(openedAndClicked, profileId, "clicked", "abc123");
    feedback(openedAndClicked, profileId, "clicked", "def456");
    feedback(unsubscribed, profileId, "unsubscribed", null);
    feedback(opened, profileId, "opened", null);

    for (String query : new String[] {"", "?version=1", "?from=" + Instant.now().minusSeconds(3600)}) {
      JsonPath stats = api().get("/api/journeys/{key}/stats" + query, key).then().statusCode(200).extract().jsonPath();
      // Task_Other's message is still queued: no outcome, no counter yet
      assertThat(stats.getList("messages.elementId")).as(query).containsExactly("Task_Send");
      assertThat(stats.getMap("messages.find { it.elementId == 'Task_Send' }")).as(query).containsExactlyInAnyOrderEntriesOf(
          Map.of("elementId", "Task_Send", "sent", 4, "suppressed", Map.of("no_consent", 2, "frequency_cap", 1), "failed", 1,
              "opened", 2, "clicked", 1, "bounced", 1, "unsubscribed", 1));
    }
    assertThat(api().get("/api/journeys/{key}/stats?to=" + Instant.now().minusSeconds(7200), key).then().statusCode(200)
        .extract().jsonPath().getList("messages")).isEmpty();

    // the first open of the bounced message moves opened; the stats read no outbox row
    feedback(bounced, profileId, "opened", null);
    jdbc.sql("DELETE FROM outbox_message WHERE journey_key = ?").param(key).update();
    assertThat(api().get("/api/journeys/{key}/stats", key).then().statusCode(200).extract().jsonPath()
        .getInt("messages.find { it.elementId == 'Task_Send' }.opened")).isEqualTo(3);
  }

  /** A row as the dispatcher holds it while sending. */
  private String claimed(String instance, String profileId, String activityId) {
    String id = UUID.randomUUID().toString();
    Timestamp now = Timestamp.from(Instant.now());
    jdbc.sql("INSERT INTO outbox_message (id, profile_id, channel, purpose, creative_key, journey_key, process_instance_id, "
            + "activity_id, status, due_at, created_at, updated_at) VALUES (?, ?, 'email', 'marketing', 'seeded', ?, ?, ?, 'sending', ?, ?, ?)")
        .params(id, profileId, key, instance, activityId, now, now, now).update();
    return id;
  }

  private FinalState end(String outboxId, String status, String reason) {
    return new FinalState(records.find(outboxId).orElseThrow(), status, reason, "stats@example.com", 1, null);
  }

  /** As the tracking endpoints record it. */
  private void feedback(String outboxId, String profileId, String outcome, String detail) {
    outcomes.record(outboxId, profileId, "email", null, null, outcome, null, detail);
  }

  private void send(String type, String profileId) {
    events.ingest(new CustomerEvent(UUID.randomUUID().toString(), type, profileId, Instant.now(), Map.of()));
  }

  private void deploy() {
    String xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_%1$s" targetNamespace="https://overture.dev/bpmn/test">
          <bpmn:message id="Message_Bought" name="%2$s" />
          <bpmn:message id="Message_Left" name="%3$s" />
          <bpmn:process id="%1$s" name="Stats journey" isExecutable="true" camunda:historyTimeToLive="P1D">
            <bpmn:extensionElements>
              <camunda:properties><camunda:property name="overture:goal" value="%2$s" /></camunda:properties>
            </bpmn:extensionElements>
            <bpmn:startEvent id="StartEvent_Entered"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
            <bpmn:exclusiveGateway id="Gateway_Path" name="Skip?">
              <bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_Skip</bpmn:outgoing><bpmn:outgoing>Flow_Wait</bpmn:outgoing>
            </bpmn:exclusiveGateway>
            <bpmn:endEvent id="EndEvent_Skipped"><bpmn:incoming>Flow_Skip</bpmn:incoming></bpmn:endEvent>
            <bpmn:eventBasedGateway id="Gateway_Wait" name="Bought within three days?">
              <bpmn:incoming>Flow_Wait</bpmn:incoming><bpmn:outgoing>Flow_ToBought</bpmn:outgoing><bpmn:outgoing>Flow_ToTimer</bpmn:outgoing>
            </bpmn:eventBasedGateway>
            <bpmn:intermediateCatchEvent id="Event_Bought">
              <bpmn:incoming>Flow_ToBought</bpmn:incoming><bpmn:outgoing>Flow_Bought</bpmn:outgoing>
              <bpmn:messageEventDefinition messageRef="Message_Bought" />
            </bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="EndEvent_Bought"><bpmn:incoming>Flow_Bought</bpmn:incoming></bpmn:endEvent>
            <bpmn:intermediateCatchEvent id="Event_Timer">
              <bpmn:incoming>Flow_ToTimer</bpmn:incoming><bpmn:outgoing>Flow_Done</bpmn:outgoing>
              <bpmn:timerEventDefinition><bpmn:timeDuration>P3D</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="EndEvent_Done"><bpmn:incoming>Flow_Done</bpmn:incoming></bpmn:endEvent>
            <bpmn:subProcess id="SubProcess_Left" triggeredByEvent="true">
              <bpmn:startEvent id="StartEvent_Left" isInterrupting="true">
                <bpmn:outgoing>Flow_ToLeft</bpmn:outgoing><bpmn:messageEventDefinition messageRef="Message_Left" />
              </bpmn:startEvent>
              <bpmn:endEvent id="EndEvent_Left"><bpmn:incoming>Flow_ToLeft</bpmn:incoming></bpmn:endEvent>
              <bpmn:sequenceFlow id="Flow_ToLeft" sourceRef="StartEvent_Left" targetRef="EndEvent_Left" />
            </bpmn:subProcess>
            <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_Entered" targetRef="Gateway_Path" />
            <bpmn:sequenceFlow id="Flow_Skip" sourceRef="Gateway_Path" targetRef="EndEvent_Skipped">
              <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${skip}</bpmn:conditionExpression>
            </bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="Flow_Wait" sourceRef="Gateway_Path" targetRef="Gateway_Wait">
              <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${!skip}</bpmn:conditionExpression>
            </bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="Flow_ToBought" sourceRef="Gateway_Wait" targetRef="Event_Bought" />
            <bpmn:sequenceFlow id="Flow_Bought" sourceRef="Event_Bought" targetRef="EndEvent_Bought" />
            <bpmn:sequenceFlow id="Flow_ToTimer" sourceRef="Gateway_Wait" targetRef="Event_Timer" />
            <bpmn:sequenceFlow id="Flow_Done" sourceRef="Event_Timer" targetRef="EndEvent_Done" />
          </bpmn:process>
        </bpmn:definitions>
        """.formatted(key, bought, left);
    repository.createDeployment().name(key).addString(key + ".bpmn", xml).deploy();
  }
}
