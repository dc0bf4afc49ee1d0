package dev.overture.experiment;

import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;

/** Test journeys with a goal: a process with the given goal properties and body, deployed under a fresh key. */
public final class GoalJourneys {

  private GoalJourneys() {}

  /**
   * Deploys {@code <process properties="goalProperties">body</process>} plus {@code definitions} (messages) and returns
   * its key; the property values are XML attribute text (escape quotes and angle brackets).
   */
  public static String deploy(RepositoryService repository, String goalProperties, String body, String definitions) {
    String key = "goal-" + UUID.randomUUID().toString().substring(0, 8);
    repository.createDeployment().addString(key + ".bpmn", """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_Goal" targetNamespace="https://overture.dev/test">
          <bpmn:process id="%s" isExecutable="true" camunda:historyTimeToLive="P1D">
            <bpmn:extensionElements><camunda:properties>
              %s
            </camunda:properties></bpmn:extensionElements>
            %s
          </bpmn:process>
          %s
        </bpmn:definitions>""".formatted(key, goalProperties, body, definitions)).deploy();
    return key;
  }
}
