package dev.overture.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.when;

import dev.overture.experiment.AutoWinner;
import dev.overture.experiment.Experiments;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.junit.jupiter.api.Test;

/** Every path of bpmn/winback.bpmn: offer A, offer B and the control group, each to a purchase or to the end of the wait. */
@Deployment(resources = "bpmn/winback.bpmn")
class WinbackPathTest extends JourneyPathTestBase {

  @Test
  void offerAGetsItsOwnEmailAndAPurchaseEndsAtTheGoal() {
    ProcessInstance pi = enterAs("A");

    assertThat(pi).isWaitingAt("Gateway_PurchaseOrTimeout");
    assertThat(sent()).containsExactly(new Sent("Task_SendOfferA", "email", "marketing", "winback-a"));

    event("purchase.completed");

    assertThat(pi).hasPassed("Event_PurchaseCompleted", "EndEvent_WonBack").isEnded();
  }

  @Test
  void offerBGetsTheOtherEmailAndEndsStillLapsedAfterFourteenDays() {
    ProcessInstance pi = enterAs("B");
    assertThat(sent()).containsExactly(new Sent("Task_SendOfferB", "email", "marketing", "winback-b"));

    fire(pi, "Event_FourteenDaysPassed");

    assertThat(pi).hasPassed("EndEvent_StillLapsed").isEnded();
    assertThat(pi).hasNotPassed("Task_SendOfferA");
  }

  @Test
  void theControlGroupGetsNothingAndStillWaitsForItsPurchase() {
    ProcessInstance pi = enterAs("control");

    assertThat(pi).isWaitingAt("Gateway_PurchaseOrTimeout");
    assertThat(sent()).isEmpty();

    event("purchase.completed");

    assertThat(pi).hasPassed("EndEvent_WonBack").isEnded();
  }

  /**
   * Enters with the split answering {@code variant} for the winback experiment's inputs as the diagram sets them, its
   * auto-winner rule included (100 per arm, 5 %, no decision date, 10 % kept in control).
   */
  private ProcessInstance enterAs(String variant) {
    when(experiments.assign(any(), eq(profileId), eq("winback-offer"), eq("A:45,B:45,control:10"), eq("control"),
        eq(new AutoWinner(100, 0.05, null, 10))))
        .thenReturn(new Experiments.Assignment("winback-offer", variant, variant.equals("control")));
    ProcessInstance pi = enter("winback");
    assertThat(runtime().getVariable(pi.getId(), "variant")).isEqualTo(variant);
    return pi;
  }
}
