package dev.overture.journey;

import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;

/**
 * A journey of its own per test class, so that pausing it cannot disturb the shared journeys other tests
 * run in the same database: entered by REST or enrollment (none start) or by an event of type
 * {@code <id>.arrived} (message start), it waits three days at {@code Event_Wait} ("Three days"); an event
 * {@code <id>.left} ends it (an interrupting event subprocess). With {@code overture:entry-segment} its profiles enter it
 * as they qualify; a test then deploys a version without it when done, so that no other test's change is evaluated.
 */
public record WaitingJourney(String key, String startEvent, String leaveEvent) {

  static final String WAIT = "Event_Wait";
  static final String WAIT_NAME = "Three days";

  static WaitingJourney deploy(RepositoryService repository) {
    return deploy(repository, (String) null);
  }

  /** A new waiting journey under this {@code overture:reentry} rule (null: the default). */
  static WaitingJourney deploy(RepositoryService repository, String reentryRule) {
    return deploy(repository, reentryRule == null ? Map.of() : Map.of("overture:reentry", reentryRule), "");
  }

  /**
   * A new waiting journey with these {@code camunda:property} values on its process (e.g. {@code overture:entry-segment})
   * and {@code startExtensions} (BPMN extension elements, such as an execution listener) on its none start event.
   */
  public static WaitingJourney deploy(RepositoryService repository, Map<String, String> properties, String startExtensions) {
    String id = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    WaitingJourney journey = new WaitingJourney("waiting-" + id, id + ".arrived", id + ".left");
    deploy(repository, journey, properties, startExtensions);
    return journey;
  }

  /** Deploys (another version of) the journey, without properties. */
  public static void deploy(RepositoryService repository, WaitingJourney journey) {
    deploy(repository, journey, Map.of(), "");
  }

  private static void deploy(RepositoryService repository, WaitingJourney journey, Map<String, String> properties,
      String startExtensions) {
    StringBuilder props = new StringBuilder();
    properties.forEach((name, value) -> props.append("<camunda:property name=\"").append(name).append("\" value=\"")
        .append(value).append("\" />"));
    String rule = properties.isEmpty() ? ""
        : "<bpmn:extensionElements><camunda:properties>" + props + "</camunda:properties></bpmn:extensionElements>";
    String xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_%1$s" targetNamespace="https://overture.dev/bpmn/test">
          <bpmn:message id="Message_Arrived" name="%2$s" />
          <bpmn:message id="Message_Left" name="%5$s" />
          <bpmn:process id="%1$s" name="Waiting journey" isExecutable="true" camunda:historyTimeToLive="P1D">
            %6$s
            <bpmn:startEvent id="StartEvent_Entered">%7$s<bpmn:outgoing>Flow_FromEntered</bpmn:outgoing></bpmn:startEvent>
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
        """.formatted(journey.key(), journey.startEvent(), WAIT, WAIT_NAME, journey.leaveEvent(), rule, startExtensions);
    repository.createDeployment().name(journey.key()).addString(journey.key() + ".bpmn", xml).deploy();
  }
}
