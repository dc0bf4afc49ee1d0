package dev.overture.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.journey.Journeys;
import java.time.Duration;
import java.util.Map;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Delivery outcomes are customer events a journey can wait for: written in batches by the outcome
 * writer, correlated when some deployed journey names the type, only stored when none does.
 */
class OutcomeEventsTest extends DeliveryTestBase {

  @Autowired RepositoryService repository;
  @Autowired RuntimeService runtime;

  @Test
  void aJourneyWaitingForMessageFailedMovesOnWhenItsEmailFailed() {
    // no such creative: the dispatcher fails the message, and message.failed is a type this test's journey names
    String key = uniqueKey("missing");
    String bpmn = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
            id="Definitions_OutcomeWait" targetNamespace="https://overture.dev/test">
          <bpmn:process id="outcome-wait" isExecutable="true" camunda:historyTimeToLive="P1D">
            <bpmn:startEvent id="StartEvent_Entered" />
            <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_Entered" targetRef="Task_Send" />
            <bpmn:serviceTask id="Task_Send" camunda:delegateExpression="${sendMessage}">
              <bpmn:extensionElements>
                <camunda:properties>
                  <camunda:property name="channel" value="email" />
                  <camunda:property name="creativeKey" value="%s" />
                  <camunda:property name="purpose" value="transactional" />
                </camunda:properties>
              </bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_Send" targetRef="Event_Failed" />
            <bpmn:intermediateCatchEvent id="Event_Failed">
              <bpmn:messageEventDefinition id="Def_Failed" messageRef="Message_Failed" />
            </bpmn:intermediateCatchEvent>
            <bpmn:sequenceFlow id="Flow_3" sourceRef="Event_Failed" targetRef="EndEvent_Told" />
            <bpmn:endEvent id="EndEvent_Told" />
          </bpmn:process>
          <bpmn:message id="Message_Failed" name="message.failed" />
        </bpmn:definitions>
        """.formatted(key);
    repository.createDeployment().addString("outcome-wait.bpmn", bpmn).deploy();
    String profileId = profile(Map.of("email", uniqueKey("outcome") + "@example.com"), Map.of("firstName", "O"));

    ProcessInstance pi = runtime.startProcessInstanceByKey("outcome-wait", profileId, Map.of(Journeys.PROFILE_ID, profileId));

    await().atMost(Duration.ofSeconds(20)).until(() -> runtime.createProcessInstanceQuery().processInstanceId(pi.getId()).count() == 0);
    String outboxId = deliveries.ofProfile(profileId).get(0).id();
    assertThat(deliveries.find(outboxId).orElseThrow().status()).isEqualTo("failed");
    assertThat(jdbc.sql("SELECT processed_at IS NOT NULL FROM customer_event WHERE event_id = ?").param(outboxId + ":failed")
        .query(Boolean.class).single()).isTrue();
  }

  @Test
  void anOutcomeNoJourneyNamesIsStoredAsDone() {
    String key = approvedCreative("unheard");
    String profileId = profile(Map.of("email", uniqueKey("unheard") + "@example.com"), Map.of("firstName", "U"));
    String outboxId = send(profileId, dev.overture.consent.Channel.EMAIL, dev.overture.consent.Purpose.TRANSACTIONAL, key);

    await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql(
        "SELECT COUNT(*) FROM customer_event WHERE event_id = ?").param(outboxId + ":sent").query(Integer.class).single() == 1);
    Map<String, Object> row = jdbc.sql("SELECT type, profile_id, processed_at IS NOT NULL AS done, claimed_until FROM customer_event "
        + "WHERE event_id = ?").param(outboxId + ":sent").query().singleRow();
    assertThat(row).containsEntry("type", "message.sent").containsEntry("profile_id", profileId);
    assertThat(row.get("done")).isIn(true, 1, 1L);
    assertThat(row.get("claimed_until")).as("never handed to correlation").isNull();
  }
}
