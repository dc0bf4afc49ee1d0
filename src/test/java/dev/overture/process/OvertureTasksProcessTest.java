package dev.overture.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.journey.Journeys;
import dev.overture.profile.Profiles;
import dev.overture.support.AppTestBase;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The delegates behind the Split, Update profile and Wait templates, in a journey drawn as Modeler writes it. */
class OvertureTasksProcessTest extends AppTestBase {

  @Autowired ProcessEngine engine;
  @Autowired Profiles profiles;

  @Test
  void splitIsStickyPerProfileAndItsVariantCanBeWrittenToTheProfile() {
    String key = deploy();
    String profileId = profile("Asia/Tokyo");

    ProcessInstance first = start(key, profileId);
    ProcessInstance second = start(key, profileId);

    Object variant = engine.getRuntimeService().getVariable(first.getId(), "variant");
    assertThat(variant).isIn("A", "B");
    assertThat(engine.getRuntimeService().getVariable(second.getId(), "variant")).isEqualTo(variant);
    assertThat(profiles.find(profileId).orElseThrow().attributes()).containsEntry("lastVariant", variant);
  }

  @Test
  void splitSpreadsProfilesOverTheVariants() {
    String key = deploy();
    long a = java.util.stream.IntStream.range(0, 40)
        .mapToObj(i -> start(key, profile("UTC")))
        .filter(pi -> "A".equals(engine.getRuntimeService().getVariable(pi.getId(), "variant")))
        .count();
    assertThat(a).isBetween(8L, 32L);
  }

  @Test
  void waitUntilLocalTimeIsDueAtTheNextNineOClockInTheProfilesTimeZone() {
    String key = deploy();
    String profileId = profile("Asia/Tokyo");
    Instant before = Instant.now();

    ProcessInstance pi = start(key, profileId);

    Job timer = engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).timers().singleResult();
    ZonedDateTime due = timer.getDuedate().toInstant().atZone(ZoneId.of("Asia/Tokyo"));
    assertThat(due.toLocalTime()).isEqualTo(LocalTime.of(9, 0));
    assertThat(due.toInstant()).isAfter(before).isBefore(before.plusSeconds(24 * 3600 + 60));
  }

  private String profile(String timezone) {
    return profiles.upsert(Map.of("email", "t-" + UUID.randomUUID() + "@example.com"), Map.of("timezone", timezone))
        .profile().id();
  }

  private ProcessInstance start(String key, String profileId) {
    return engine.getRuntimeService().startProcessInstanceByKey(key, profileId, Map.of(Journeys.PROFILE_ID, profileId));
  }

  private String deploy() {
    String key = "tasks-" + UUID.randomUUID().toString().substring(0, 8);
    engine.getRepositoryService().createDeployment().addString(key + ".bpmn", """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
            id="Definitions_Tasks" targetNamespace="https://overture.dev/test">
          <bpmn:process id="%s" isExecutable="true" camunda:historyTimeToLive="P1D">
            <bpmn:startEvent id="StartEvent_Entered" />
            <bpmn:serviceTask id="Task_Split" camunda:modelerTemplate="dev.overture.Split" camunda:modelerTemplateVersion="1"
                camunda:delegateExpression="${split}">
              <bpmn:extensionElements>
                <camunda:inputOutput>
                  <camunda:inputParameter name="variants">A:50,B:50</camunda:inputParameter>
                  <camunda:inputParameter name="resultVariable">variant</camunda:inputParameter>
                </camunda:inputOutput>
              </bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:serviceTask id="Task_RememberVariant" camunda:modelerTemplate="dev.overture.UpdateProfile"
                camunda:modelerTemplateVersion="1" camunda:delegateExpression="${updateProfile}">
              <bpmn:extensionElements>
                <camunda:inputOutput>
                  <camunda:inputParameter name="attributes">{"lastVariant": "${variant}"}</camunda:inputParameter>
                </camunda:inputOutput>
              </bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:intermediateCatchEvent id="Event_NineAm" camunda:modelerTemplate="dev.overture.WaitLocalTime"
                camunda:modelerTemplateVersion="1">
              <bpmn:extensionElements>
                <camunda:properties>
                  <camunda:property name="waitMode" value="localTime" />
                  <camunda:property name="localTime" value="09:00" />
                </camunda:properties>
              </bpmn:extensionElements>
              <bpmn:timerEventDefinition id="TimerEventDefinition_NineAm">
                <bpmn:timeDate xsi:type="bpmn:tFormalExpression">${waitUntil.at(execution)}</bpmn:timeDate>
              </bpmn:timerEventDefinition>
            </bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="EndEvent_Done" />
            <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_Entered" targetRef="Task_Split" />
            <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_Split" targetRef="Task_RememberVariant" />
            <bpmn:sequenceFlow id="Flow_3" sourceRef="Task_RememberVariant" targetRef="Event_NineAm" />
            <bpmn:sequenceFlow id="Flow_4" sourceRef="Event_NineAm" targetRef="EndEvent_Done" />
          </bpmn:process>
        </bpmn:definitions>
        """.formatted(key)).deploy();
    return key;
  }
}
