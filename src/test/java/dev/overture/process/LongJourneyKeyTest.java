package dev.overture.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.overture.experiment.internal.Buckets;
import dev.overture.journey.Journeys;
import dev.overture.support.AppTestBase;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A journey key of 40 characters: {@code key:version:uuid} exceeds the 64 characters of a definition id,
 * so the engine names the definition by a bare UUID, and the key must come from the definition itself.
 */
class LongJourneyKeyTest extends AppTestBase {

  @Autowired ProcessEngine engine;

  @Test
  void sendAndSplitInAJourneyWhoseDefinitionIdIsABareUuidCarryTheJourneyKey() {
    String key = "long-journey-" + UUID.randomUUID().toString().replace("-", "").substring(0, 27);
    ProcessDefinition definition = deploy(key);
    assertThat(key).hasSize(40);
    assertThat(definition.getId()).as("the engine's id for a long key").doesNotStartWith(key);
    // a profile for which the variant drawn with the definition id differs from the one drawn with the key
    String profileId;
    do {
      profileId = createProfile(uniqueEmail("long-key"), "Kim");
    } while (variant(key, profileId).equals(variant(definition.getId(), profileId)));

    ProcessInstance pi = engine.getRuntimeService()
        .startProcessInstanceByKey(key, profileId, Map.of(Journeys.PROFILE_ID, profileId));

    api().get("/api/profiles/{id}", profileId)
        .then().statusCode(200).body("attributes.lastVariant", equalTo(variant(key, profileId)));
    api().queryParam("profileId", profileId).get("/api/deliveries")
        .then().statusCode(200)
        .body("", hasSize(1))
        .body("[0].journeyKey", equalTo(key))
        .body("[0].processInstanceId", equalTo(pi.getId()))
        .body("[0].activityId", equalTo("Task_SendHello"));
  }

  private static String variant(String journey, String profileId) {
    // the split's default experiment key is journeyKey/taskId
    return Buckets.variant(Buckets.weights("Task_Split", "A:50,B:50"), Buckets.bucket(journey + "/Task_Split", profileId));
  }

  private ProcessDefinition deploy(String key) {
    BpmnModelInstance journey = Bpmn.createExecutableProcess(key).camundaHistoryTimeToLive(1)
        .startEvent("StartEvent_Entered")
        .serviceTask("Task_Split").camundaDelegateExpression("${split}")
            .camundaInputParameter("variants", "A:50,B:50").camundaInputParameter("resultVariable", "variant")
        .serviceTask("Task_SendHello").camundaDelegateExpression("${sendMessage}")
            .camundaInputParameter("channel", "email").camundaInputParameter("purpose", "transactional")
            .camundaInputParameter("creativeKey", "welcome")
        .serviceTask("Task_RememberVariant").camundaDelegateExpression("${updateProfile}")
            .camundaInputParameter("attributes", "{\"lastVariant\": \"${variant}\"}")
        .endEvent("EndEvent_Done")
        .done();
    String deploymentId = engine.getRepositoryService().createDeployment().addModelInstance(key + ".bpmn", journey)
        .deploy().getId();
    return engine.getRepositoryService().createProcessDefinitionQuery().deploymentId(deploymentId).singleResult();
  }
}
