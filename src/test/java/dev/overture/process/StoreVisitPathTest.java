package dev.overture.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.junit.jupiter.api.Test;

/** The one path of bpmn/store-visit.bpmn: a store.entered event sends the welcome offer push and ends. */
@Deployment(resources = "bpmn/store-visit.bpmn")
class StoreVisitPathTest extends JourneyPathTestBase {

  @Test
  void aStoreVisitSendsTheWelcomeOfferPushAndEndsInTheEventsTransaction() {
    ProcessInstance pi = startedBy("store.entered", Map.of("profileId", profileId, "storeId", "berlin-mitte"));

    assertThat(pi).hasPassed("Task_SendWelcomeOfferPush", "EndEvent_OfferSent").isEnded();
    assertThat(sent()).containsExactly(new Sent("Task_SendWelcomeOfferPush", "push", "marketing", "store-welcome-offer"));
  }
}
