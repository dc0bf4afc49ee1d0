package dev.overture.process;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.overture.delivery.Engagements;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every path of test-journeys/engagement-split.bpmn: the Split on engagement routes each outcome to its branch, whether
 * the window's timer or the engagement message ended the wait. The tracking hits themselves are EngagementSplitTest's.
 */
@Deployment(resources = "test-journeys/engagement-split.bpmn")
class EngagementSplitPathTest extends JourneyPathTestBase {

  private final Engagements engagements = mock(Engagements.class);

  @BeforeEach
  void registerSplit() {
    Mocks.register("engagementSplit", new EngagementSplitDelegate(engagements));
  }

  @ParameterizedTest
  @CsvSource({"unsubscribed, EndEvent_Unsubscribed", "bounced, EndEvent_Bounced", "clicked, EndEvent_Clicked",
      "opened, EndEvent_Opened", "none, EndEvent_None"})
  void afterTheWindowEachOutcomeTakesItsBranch(String outcome, String endEvent) {
    ProcessInstance pi = enter("JOURNEY_KEY");
    when(engagements.of(eq(profileId), eq(pi.getId()), eq("Task_SendOffer"))).thenReturn(outcome);
    assertThat(pi).isWaitingAt("Gateway_EngagedOrHour");

    fire(pi, "Event_HourPassed");

    assertThat(pi).hasPassed("Task_SplitOnEngagement", endEvent).isEnded();
    assertThat(pi).hasNotPassed("Event_Engaged");
  }

  @Test
  void theEngagementMessageEndsTheWaitBeforeTheWindow() {
    ProcessInstance pi = enter("JOURNEY_KEY");
    when(engagements.of(anyString(), anyString(), anyString())).thenReturn(Engagements.CLICKED);
    String waiting = runtime().createEventSubscriptionQuery().processInstanceId(pi.getId()).eventName(Engagements.MESSAGE)
        .singleResult().getExecutionId();

    runtime().messageEventReceived(Engagements.MESSAGE, waiting);

    assertThat(pi).hasPassed("Event_Engaged", "EndEvent_Clicked").isEnded();
    assertThat(pi).hasNotPassed("Event_HourPassed");
  }
}
