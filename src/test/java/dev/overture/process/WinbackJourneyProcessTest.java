package dev.overture.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import dev.overture.experiment.internal.Buckets;
import dev.overture.journey.Journeys;
import dev.overture.support.TestClock;
import java.time.Duration;
import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * bpmn/winback.bpmn in the shared app: the split's assignment as the experiment records it, sticky for a profile that
 * enters again. Its paths one by one: {@link WinbackPathTest}.
 */
class WinbackJourneyProcessTest extends JourneyProcessTestBase {

  private static final Map<String, Integer> WEIGHTS = Buckets.weights("Task_Split", "A:45,B:45,control:10");

  @Autowired Journeys journeys;
  @Autowired TestClock clock;

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void theControlGroupIsRecordedAsControlAndGetsNothing() {
    String profileId = profileIn("control");

    ProcessInstance pi = enter(profileId);

    assertThat(pi).isWaitingAt("Gateway_PurchaseOrTimeout");
    assertThat(assignment(pi)).containsEntry("variant", "control").containsEntry("control", true);
    assertThat(creativesSentTo(profileId)).isEmpty();
  }

  @Test
  void aProfileThatEntersAgainKeepsItsVariant() {
    String profileId = profileIn("B");
    ProcessInstance first = enter(profileId);
    assertThat(assignment(first)).containsEntry("variant", "B").containsEntry("control", false)
        .containsEntry("experiment_key", "winback-offer").containsEntry("element_id", "Task_Split");
    runJobAt(first, "Event_FourteenDaysPassed");
    assertThat(endedAt(first)).isEqualTo("EndEvent_StillLapsed");
    // winback lets a profile in again 90 days after its last entry
    clock.advance(Duration.ofDays(91));

    ProcessInstance second = enter(profileId);

    assertThat(second.getId()).isNotEqualTo(first.getId());
    assertThat(assignment(second)).containsEntry("variant", "B");
    assertThat(creativesSentTo(profileId)).containsExactly("winback-b", "winback-b");
  }

  /** A consenting profile whose bucket in the winback experiment falls in the variant's range. */
  private String profileIn(String variant) {
    String id;
    do {
      id = consentingProfile(Map.of());
    } while (!variant.equals(Buckets.variant(WEIGHTS, Buckets.bucket("winback-offer", id))));
    return id;
  }

  /** Enters through Overture's entry, as REST and campaigns do: the entry row and the re-entry rule with the instance. */
  private ProcessInstance enter(String profileId) {
    String instanceId = journeys.enter("winback", profileId, Map.of(), null).entry().processInstanceId();
    return engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(instanceId).singleResult();
  }

  private Map<String, Object> assignment(ProcessInstance pi) {
    return jdbc.sql("SELECT experiment_key, element_id, variant, control FROM experiment_assignment WHERE instance_id = ?")
        .param(pi.getId()).query().singleRow();
  }
}
