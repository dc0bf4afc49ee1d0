package dev.overture.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import dev.overture.experiment.internal.Buckets;
import dev.overture.journey.Journeys;
import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

/** Every path of bpmn/winback.bpmn: offer A, offer B and the control group, each to a purchase or to the end of the wait. */
class WinbackJourneyProcessTest extends JourneyProcessTestBase {

  private static final Map<String, Integer> WEIGHTS = Buckets.weights("Task_Split", "A:45,B:45,control:10");

  @Test
  void offerAGetsItsOwnEmailAndAPurchaseEndsAtTheGoal() {
    String profileId = profileIn("A");

    ProcessInstance pi = enter(profileId);

    assertThat(pi).isWaitingAt("Gateway_PurchaseOrTimeout");
    assertThat(creativesSentTo(profileId)).containsExactly("winback-a");
    assertThat(assignment(pi)).containsEntry("variant", "A").containsEntry("control", false)
        .containsEntry("experiment_key", "winback-offer").containsEntry("element_id", "Task_Split");

    send("purchase.completed", profileId, Map.of("value", 42));

    assertThat(endedAt(pi)).isEqualTo("EndEvent_WonBack");
  }

  @Test
  void offerBGetsTheOtherEmailAndEndsStillLapsedAfterFourteenDays() {
    String profileId = profileIn("B");

    ProcessInstance pi = enter(profileId);

    assertThat(pi).isWaitingAt("Gateway_PurchaseOrTimeout");
    assertThat(creativesSentTo(profileId)).containsExactly("winback-b");

    runJobAt(pi, "Event_FourteenDaysPassed");

    assertThat(endedAt(pi)).isEqualTo("EndEvent_StillLapsed");
  }

  @Test
  void theControlGroupGetsNothingAndStillWaitsForItsPurchase() {
    String profileId = profileIn("control");

    ProcessInstance pi = enter(profileId);

    assertThat(pi).isWaitingAt("Gateway_PurchaseOrTimeout");
    assertThat(creativesSentTo(profileId)).isEmpty();
    assertThat(assignment(pi)).containsEntry("variant", "control").containsEntry("control", true);

    send("purchase.completed", profileId, Map.of());

    assertThat(endedAt(pi)).isEqualTo("EndEvent_WonBack");
  }

  @Test
  void aProfileThatEntersAgainKeepsItsVariant() {
    String profileId = profileIn("B");
    ProcessInstance first = enter(profileId);
    runJobAt(first, "Event_FourteenDaysPassed");

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

  private ProcessInstance enter(String profileId) {
    return engine.getRuntimeService().startProcessInstanceByKey("winback", profileId, Map.of(Journeys.PROFILE_ID, profileId));
  }

  private Map<String, Object> assignment(ProcessInstance pi) {
    return jdbc.sql("SELECT experiment_key, element_id, variant, control FROM experiment_assignment WHERE instance_id = ?")
        .param(pi.getId()).query().singleRow();
  }
}
