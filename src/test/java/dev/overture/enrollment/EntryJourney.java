package dev.overture.enrollment;

import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;

/**
 * A journey of a test's own, live as deployed (by code, without a user): a none start, a three-day wait, the end, and
 * an event {@code <key>.left} that ends it early. With an entry segment its profiles enter when they qualify; the test
 * takes the segment away when done ({@link #remove}), so that no other test's profile change is evaluated for it.
 */
record EntryJourney(String key, String leaveEvent) {

  static EntryJourney deploy(RepositoryService repository, String entrySegment, String reentryRule) {
    String key = "entry-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    deploy(repository, key, entrySegment, reentryRule);
    return new EntryJourney(key, key + ".left");
  }

  private static void deploy(RepositoryService repository, String key, String entrySegment, String reentryRule) {
    String properties = (entrySegment == null ? "" : "<camunda:property name=\"overture:entry-segment\" value=\"" + entrySegment + "\" />")
        + (reentryRule == null ? "" : "<camunda:property name=\"overture:reentry\" value=\"" + reentryRule + "\" />");
    String xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_%1$s" targetNamespace="https://overture.dev/bpmn/test">
          <bpmn:message id="Message_Left" name="%1$s.left" />
          <bpmn:process id="%1$s" name="Entry journey" isExecutable="true" camunda:historyTimeToLive="P1D">
            <bpmn:extensionElements><camunda:properties>%2$s</camunda:properties></bpmn:extensionElements>
            <bpmn:startEvent id="StartEvent_Entered"><bpmn:outgoing>Flow_ToWait</bpmn:outgoing></bpmn:startEvent>
            <bpmn:intermediateCatchEvent id="Event_Wait" name="Three days">
              <bpmn:incoming>Flow_ToWait</bpmn:incoming>
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
            <bpmn:sequenceFlow id="Flow_ToWait" sourceRef="StartEvent_Entered" targetRef="Event_Wait" />
            <bpmn:sequenceFlow id="Flow_ToEnd" sourceRef="Event_Wait" targetRef="EndEvent_Done" />
          </bpmn:process>
        </bpmn:definitions>
        """.formatted(key, properties);
    repository.createDeployment().name(key).addString(key + ".bpmn", xml).deploy();
  }

  /** A version without the entry segment goes live in its place (as a version deployed by code does). */
  void remove(RepositoryService repository) {
    deploy(repository, key, null, null);
  }
}
