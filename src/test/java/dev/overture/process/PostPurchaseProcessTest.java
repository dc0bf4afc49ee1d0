package dev.overture.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import dev.overture.support.JourneyRuns;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

/**
 * bpmn/post-purchase.bpmn in the shared app: order.completed enters it with the thank-you, ticket.opened takes the
 * customer out, and the journey log says so. Its paths one by one: {@link PostPurchasePathTest}.
 */
class PostPurchaseProcessTest extends JourneyProcessTestBase {

  private ProcessInstance purchase(String profileId) {
    send("order.completed", profileId, Map.of("orderId", "o-" + UUID.randomUUID()));
    ProcessInstance pi = instance("post-purchase", profileId);
    assertThat(creativesSentTo(profileId)).containsExactly("order-thank-you");
    assertThat(pi).isWaitingAt("Event_ThreeDaysPassed");
    return pi;
  }

  @Test
  void ticketOpenedEndsTheSeriesAtOnce() {
    String profileId = consentingProfile(Map.of());
    ProcessInstance pi = purchase(profileId);

    send("ticket.opened", profileId, Map.of("ticketId", "t-1"));

    assertThat(endedAt(pi)).isEqualTo("EndEvent_EndedByTicket");
    assertThat(JourneyRuns.run(jdbc, pi.getId()).get("end_reason")).isEqualTo("exited_by_event");
    assertThat(creativesSentTo(profileId)).containsExactly("order-thank-you");
  }
}
