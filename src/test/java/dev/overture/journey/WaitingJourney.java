package dev.overture.journey;

import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;

/**
 * A journey of its own per test class, so that pausing it cannot disturb the shared journeys other tests
 * run in the same database: entered by REST or enrollment (none start) or by an event of type
 * {@code <id>.arrived} (message start), it waits three days at {@code Event_Wait} ("Three days"); an event
 * {@code <id>.left} ends it (an interrupting event subprocess).
 */
record WaitingJourney(String key, String startEvent, String leaveEvent) {

  static final String WAIT = "Event_Wait";
  static final String WAIT_NAME = "Three days";

  static WaitingJourney deploy(RepositoryService repository) {
    return deploy(repository, (String) null);
  }

  /** A new waiting journey under this {@code overture:reentry} rule (null: the default). */
  static WaitingJourney deploy(RepositoryService repository, String reentryRule) {
    String id = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    WaitingJourney journey = new WaitingJourney("waiting-" + id, id + ".arrived", id + ".left");
    deploy(repository, journey, reentryRule);
    return journey;
  }

  /** Deploys (another version of) the journey. */
  static void deploy(RepositoryService repository, WaitingJourney journey) {
    deploy(repository, journey, null);
  }

  private static void deploy(RepositoryService repository, WaitingJourney journey, String reentryRule) {
    String rule = reentryRule == null ? "" : """
        <bpmn:extensionElements><camunda:properties>
          <camunda:property name="overture:reentry" value="%s" />
        </camunda:properties></bpmn:extensionElements>""".formatted(reentryRule);
    String xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_%1$s" targetNamespace="https://overture.dev/bpmn/test">
          <bpmn:message id="Message_Arrived" name="%2$s" />
          <bpmn:message id="Message_Left" name="%5$s" />
          <bpmn:process id="%1$s" name="Waiting journey" isExecutable="true" camunda:historyTimeToLive="P1D">
            %6$s
            <bpmn:startEvent id="StartEvent_Entered"><bpmn:outgoing>Flow_FromEntered</bpmn:outgoing></bpmn:startEvent>
            <bpmn:startEvent id="StartEvent_Arrived">
              <bpmn:outgoing>Flow_FromArrived</bpmn:outgoing>
              <bpmn:messageEventDefinition messageRef="Message_Arrived" />
            </bpmn:startEvent>
            <bpmn:intermediateCatchEvent id="%3$s" name="%4$s">
              <bpmn:incoming>Flow_FromEntered</bpmn:incoming>
              <bpmn:incoming>Flow_FromArrived</bpmn:incoming>
              <bpmn:outgoing>Flow_ToEnd</bpmn:outgoing>
              <bpmn:timerEventDefinition><bpmn:timeDuration>P3D</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="EndEvent_Done"><bpmn:incoming>Flow_ToEnd</bpmn:incoming></bpmn:endEvent>
            <bpmn:subProcess id="SubProcess_Left" triggeredByEvent="true">
              <bpmn:startEvent id="StartEvent_Left" isInterrupting="true">
                <bpmn:outgoing>Flow_ToLeft</bpmn:outgoing>
                <bpmn:messageEventDefinition messageRef="Message_Left" />
              </bpmn:startEvent>
              <bpmn:endEvent id="EndEvent_Left"><bpmn:incoming>Flow_ToLeft</bpmn:incoming></bpmn:endEvent>
              <bpmn:sequenceFlow id="Flow_ToLeft" sourceRef="StartEvent_Left" targetRef="EndEvent_Left" />
            </bpmn:subProcess>
            <bpmn:sequenceFlow id="Flow_FromEntered" sourceRef="StartEvent_Entered" targetRef="%3$s" />
            <bpmn:sequenceFlow id="Flow_FromArrived" sourceRef="StartEvent_Arrived" targetRef="%3$s" />
            <bpmn:sequenceFlow id="Flow_ToEnd" sourceRef="%3$s" targetRef="EndEvent_Done" />
          </bpmn:process>
        </bpmn:definitions>
        """.formatted(journey.key(), journey.startEvent(), WAIT, WAIT_NAME, journey.leaveEvent(), rule);
    repository.createDeployment().name(journey.key()).addString(journey.key() + ".bpmn", xml).deploy();
  }
}
