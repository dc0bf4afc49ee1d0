package dev.overture.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overture.support.AppTestBase;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Deploying journeys through the engine's RepositoryService: broken ones are refused, naming the element. */
class JourneyValidationTest extends AppTestBase {

  @Autowired RepositoryService repository;

  @Test
  void aJourneyBuiltFromCurrentTemplatesDeploys() {
    String key = deploy(journey("""
        <bpmn:serviceTask id="Task_Send" name="Send" camunda:modelerTemplate="dev.overture.SendEmail"
            camunda:modelerTemplateVersion="1" camunda:asyncBefore="true" camunda:delegateExpression="${sendMessage}" />""",
        "<bpmn:message id=\"Message_Ok\" name=\"purchase.completed\" />", "P2D"));

    assertThat(repository.createProcessDefinitionQuery().processDefinitionKey(key).count()).isEqualTo(1);
  }

  @Test
  void anUnknownDelegateIsRefusedNamingTheElement() {
    assertThatThrownBy(() -> deploy(journey("""
        <bpmn:serviceTask id="Task_Typo" name="Send" camunda:delegateExpression="${sendMesage}" />""", "", "P2D")))
        .isInstanceOf(ProcessEngineException.class)
        .hasMessageContaining("element 'Task_Typo'")
        .hasMessageContaining("sendMesage");
  }

  @Test
  void aTemplateVersionWeNoLongerSupportIsRefused() {
    assertThatThrownBy(() -> deploy(journey("""
        <bpmn:serviceTask id="Task_OldTemplate" name="Send" camunda:modelerTemplate="dev.overture.SendMessage"
            camunda:modelerTemplateVersion="0" camunda:delegateExpression="${sendMessage}" />""", "", "P2D")))
        .isInstanceOf(ProcessEngineException.class)
        .hasMessageContaining("element 'Task_OldTemplate'")
        .hasMessageContaining("version 0 is no longer supported");
  }

  @Test
  void aMessageThatIsNoEventTypeIsRefused() {
    assertThatThrownBy(() -> deploy(journey("<bpmn:task id=\"Task_Noop\" name=\"Noop\" />",
        "<bpmn:message id=\"Message_Purchase\" name=\"Purchase Completed\" />", "P2D")))
        .isInstanceOf(ProcessEngineException.class)
        .hasMessageContaining("element 'Message_Purchase'")
        .hasMessageContaining("'Purchase Completed' is not an event type");
  }

  @Test
  void aTimerWithAnInvalidDurationIsRefused() {
    assertThatThrownBy(() -> deploy(journey("<bpmn:task id=\"Task_Noop\" name=\"Noop\" />", "", "2 days")))
        .isInstanceOf(ProcessEngineException.class)
        .hasMessageContaining("element 'Event_Wait'")
        .hasMessageContaining("timeDuration '2 days' is not valid ISO 8601");
  }

  @Test
  void aWaitTemplateWithoutItsTimerIsRefused() {
    String xml = journey("<bpmn:task id=\"Task_Noop\" name=\"Noop\" />", "", "P2D")
        .replace("<bpmn:intermediateCatchEvent id=\"Event_Wait\"",
            "<bpmn:intermediateCatchEvent id=\"Event_Wait\" camunda:modelerTemplate=\"dev.overture.WaitDuration\" camunda:modelerTemplateVersion=\"1\"");
    assertThatThrownBy(() -> deploy(xml))
        .isInstanceOf(ProcessEngineException.class)
        .hasMessageContaining("element 'Event_Wait'")
        .hasMessageContaining("${waitUntil.at(execution)}");
  }

  @Test
  void aGoalThatIsNoEventTypeIsRefused() {
    String xml = journey("<bpmn:task id=\"Task_Noop\" name=\"Noop\" />", "", "P2D")
        .replace("<bpmn:startEvent id=\"StartEvent_Entered\" />", """
            <bpmn:extensionElements><camunda:properties>
              <camunda:property name="overture:goal" value="Bought it" />
            </camunda:properties></bpmn:extensionElements>
            <bpmn:startEvent id="StartEvent_Entered" />""");
    assertThatThrownBy(() -> deploy(xml))
        .isInstanceOf(ProcessEngineException.class)
        .hasMessageContaining("goal 'Bought it' is not an event type");
  }

  @Test
  void aPriorityThatIsNoWholeNumberIsRefused() {
    assertThatThrownBy(() -> deploy(withProperty("overture:priority", "high")))
        .isInstanceOf(ProcessEngineException.class)
        .hasMessageContaining("priority 'high' must be a whole number");
  }

  @Test
  void aSplitsAutoWinnerFieldsOutOfRangeAreRefused() {
    assertThatThrownBy(() -> deploy(withProperty("overture:auto-winner-alpha", "5")))
        .isInstanceOf(ProcessEngineException.class)
        .hasMessageContaining("overture:auto-winner-alpha '5' is not valid");
    assertThatThrownBy(() -> deploy(withProperty("overture:auto-winner-not-before", "2027-01-31T09:00")))
        .isInstanceOf(ProcessEngineException.class)
        .hasMessageContaining("overture:auto-winner-not-before '2027-01-31T09:00' is not valid");
  }

  private String withProperty(String name, String value) {
    return journey("<bpmn:task id=\"Task_Noop\" name=\"Noop\" />", "", "P2D")
        .replace("<bpmn:startEvent id=\"StartEvent_Entered\" />", """
            <bpmn:extensionElements><camunda:properties>
              <camunda:property name="%s" value="%s" />
            </camunda:properties></bpmn:extensionElements>
            <bpmn:startEvent id="StartEvent_Entered" />""".formatted(name, value));
  }

  @Test
  void aGoalConditionThatIsNoFeelIsRefused() {
    assertThatThrownBy(() -> deploy(withGoal("value >= ", "P7D")))
        .isInstanceOf(ProcessEngineException.class)
        .hasMessageContaining("goal condition 'value >= ' is not a FEEL expression");
  }

  @Test
  void aGoalWindowThatIsNoDurationInDaysOrTimeIsRefused() {
    assertThatThrownBy(() -> deploy(withGoal("value >= 50", "P1M")))
        .isInstanceOf(ProcessEngineException.class)
        .hasMessageContaining("goal window 'P1M' must be a positive ISO 8601 duration");
    assertThatThrownBy(() -> deploy(withGoal("", "seven days")))
        .isInstanceOf(ProcessEngineException.class)
        .hasMessageContaining("goal window 'seven days'");
  }

  @Test
  void aGoalWithConditionAndWindowDeploysAndTheCatalogShowsThem() {
    String key = deploy(withGoal("value >= 50 and currency = \"EUR\"", "PT36H"));
    api().get("/api/journeys/{key}", key).then().statusCode(200)
        .body("goal", org.hamcrest.Matchers.equalTo("purchase.completed"))
        .body("goalCondition", org.hamcrest.Matchers.equalTo("value >= 50 and currency = \"EUR\""))
        .body("goalWindow", org.hamcrest.Matchers.equalTo("PT36H"));
  }

  private static String withGoal(String condition, String window) {
    return journey("<bpmn:task id=\"Task_Noop\" name=\"Noop\" />", "", "P2D")
        .replace("<bpmn:startEvent id=\"StartEvent_Entered\" />", """
            <bpmn:extensionElements><camunda:properties>
              <camunda:property name="overture:goal" value="purchase.completed" />
              <camunda:property name="overture:goal-condition" value="%s" />
              <camunda:property name="overture:goal-window" value="%s" />
            </camunda:properties></bpmn:extensionElements>
            <bpmn:startEvent id="StartEvent_Entered" />""".formatted(condition.replace("\"", "&quot;"), window));
  }

  private String deploy(String xml) {
    String key = xml.replaceAll("(?s).*<bpmn:process id=\"([^\"]+)\".*", "$1");
    repository.createDeployment().name(key).addString(key + ".bpmn", xml).deploy();
    return key;
  }

  /** start → the given task → a timer of the given duration → end, plus definitions-level elements. */
  static String journey(String task, String definitions, String duration) {
    String key = "journey-" + UUID.randomUUID().toString().substring(0, 8);
    String taskId = task.replaceAll("(?s).*id=\"([^\"]+)\".*", "$1");
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
            id="Definitions_Test" targetNamespace="https://overture.dev/test">
          <bpmn:process id="%s" isExecutable="true" camunda:historyTimeToLive="P1D">
            <bpmn:startEvent id="StartEvent_Entered" />
            %s
            <bpmn:intermediateCatchEvent id="Event_Wait" name="Wait">
              <bpmn:timerEventDefinition id="TimerEventDefinition_Wait">
                <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">%s</bpmn:timeDuration>
              </bpmn:timerEventDefinition>
            </bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="EndEvent_Done" />
            <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_Entered" targetRef="%s" />
            <bpmn:sequenceFlow id="Flow_2" sourceRef="%s" targetRef="Event_Wait" />
            <bpmn:sequenceFlow id="Flow_3" sourceRef="Event_Wait" targetRef="EndEvent_Done" />
          </bpmn:process>
          %s
        </bpmn:definitions>
        """.formatted(key, task, duration, taskId, taskId, definitions);
  }
}
