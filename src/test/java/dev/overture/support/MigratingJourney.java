package dev.overture.support;

import java.util.UUID;

/**
 * Versions of one journey for migration tests, as BPMN: version "waits" enters and waits three days at
 * {@code Event_Wait}, then ends; "adds a step" sends the welcome email ({@code Task_SendThanks}) after the same wait;
 * "renames the wait" waits at {@code Event_WaitLonger} instead, so same-id mapping leaves its waiting instances behind.
 */
public record MigratingJourney(String key) {

  public static final String WAIT = "Event_Wait";
  public static final String RENAMED_WAIT = "Event_WaitLonger";
  public static final String NEW_STEP = "Task_SendThanks";
  public static final String END = "EndEvent_Done";

  public static MigratingJourney named(String prefix) {
    return new MigratingJourney(prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
  }

  public String waits() {
    return bpmn(wait(WAIT, END), flow(WAIT, END));
  }

  public String addsAStep() {
    return bpmn(wait(WAIT, NEW_STEP) + """
        <bpmn:serviceTask id="Task_SendThanks" name="Send thanks" camunda:delegateExpression="${sendMessage}">
          <bpmn:extensionElements><camunda:properties>
            <camunda:property name="channel" value="email" />
            <camunda:property name="creativeKey" value="welcome" />
            <camunda:property name="purpose" value="marketing" />
          </camunda:properties></bpmn:extensionElements>
          <bpmn:incoming>Flow_Event_Wait</bpmn:incoming>
          <bpmn:outgoing>Flow_Task_SendThanks</bpmn:outgoing>
        </bpmn:serviceTask>""", flow(WAIT, NEW_STEP) + flow(NEW_STEP, END));
  }

  public String renamesTheWait() {
    return bpmn(wait(RENAMED_WAIT, END), flow(RENAMED_WAIT, END));
  }

  private static String wait(String id, String next) {
    return """
        <bpmn:intermediateCatchEvent id="%1$s" name="Three days">
          <bpmn:incoming>Flow_Entered</bpmn:incoming>
          <bpmn:outgoing>Flow_%1$s</bpmn:outgoing>
          <bpmn:timerEventDefinition><bpmn:timeDuration>P3D</bpmn:timeDuration></bpmn:timerEventDefinition>
        </bpmn:intermediateCatchEvent>
        <bpmn:sequenceFlow id="Flow_Entered" sourceRef="StartEvent_Entered" targetRef="%1$s" />""".formatted(id);
  }

  private static String flow(String from, String to) {
    return "<bpmn:sequenceFlow id=\"Flow_%1$s\" sourceRef=\"%1$s\" targetRef=\"%2$s\" />\n".formatted(from, to);
  }

  private String bpmn(String steps, String flows) {
    String endIncoming = flows.lines().filter(l -> l.contains("targetRef=\"" + END + "\""))
        .map(l -> l.replaceAll(".*id=\"([^\"]+)\".*", "$1")).findFirst().orElseThrow();
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_%1$s" targetNamespace="https://overture.dev/bpmn/test">
          <bpmn:process id="%1$s" name="Migrating journey" isExecutable="true" camunda:historyTimeToLive="P1D">
            <bpmn:startEvent id="StartEvent_Entered"><bpmn:outgoing>Flow_Entered</bpmn:outgoing></bpmn:startEvent>
            %2$s
            <bpmn:endEvent id="%4$s"><bpmn:incoming>%5$s</bpmn:incoming></bpmn:endEvent>
            %3$s
          </bpmn:process>
        </bpmn:definitions>
        """.formatted(key, steps, flows, END, endIncoming);
  }
}
