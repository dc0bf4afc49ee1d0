package dev.overture.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import dev.overture.delivery.Delivery;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

/** bpmn/post-purchase.bpmn: thank-you, tips after 3 days, review after 14; ticket.opened exits, order.shipped reacts. */
class PostPurchaseProcessTest extends JourneyProcessTestBase {

  private ProcessInstance purchase(String profileId) {
    send("order.completed", profileId, Map.of("orderId", "o-" + UUID.randomUUID()));
    ProcessInstance pi = instance("post-purchase", profileId);
    assertThat(pi).hasPassed("Task_SendThankYouEmail").isWaitingAt("Event_ThreeDaysPassed");
    return pi;
  }

  @Test
  void thankYouNowTipsAfterThreeDaysReviewRequestAfterFourteen() {
    String profileId = consentingProfile(Map.of());
    ProcessInstance pi = purchase(profileId);

    Job threeDays = runJobAt(pi, "Event_ThreeDaysPassed");
    assertThat(Duration.between(Instant.now(), threeDays.getDuedate().toInstant())).isGreaterThan(Duration.ofDays(2));
    assertThat(pi).hasPassed("Task_SendUsageTipsEmail");
    Job elevenDays = runJobAt(pi, "Event_ElevenMoreDaysPassed");
    assertThat(Duration.between(Instant.now(), elevenDays.getDuedate().toInstant())).isGreaterThan(Duration.ofDays(10));

    assertThat(pi).hasPassed("Task_SendReviewRequestEmail", "EndEvent_SeriesDone").isEnded();
    assertThat(deliveries.ofProfile(profileId)).extracting(Delivery::creativeKey)
        .containsExactly("order-thank-you", "usage-tips", "review-request");
    assertThat(deliveries.ofProfile(profileId).get(0).purpose()).isEqualTo("transactional");
  }

  @Test
  void ticketOpenedEndsTheSeriesAtOnce() {
    String profileId = consentingProfile(Map.of());
    ProcessInstance pi = purchase(profileId);

    send("ticket.opened", profileId, Map.of("ticketId", "t-1"));

    assertThat(pi).hasPassed("StartEvent_TicketOpened", "EndEvent_EndedByTicket").hasNotPassed("Task_SendUsageTipsEmail").isEnded();
    assertThat(creativesSentTo(profileId)).containsExactly("order-thank-you");
  }

  @Test
  void orderShippedSendsANoticeWithoutLeavingTheSeries() {
    String profileId = consentingProfile(Map.of());
    ProcessInstance pi = purchase(profileId);

    send("order.shipped", profileId, Map.of());

    assertThat(pi).hasPassed("EndEvent_ShippingNoticeSent").isWaitingAt("Event_ThreeDaysPassed");
    assertThat(creativesSentTo(profileId)).containsExactly("order-thank-you", "order-shipped");
    // the Send tasks' fields are task properties: sending made no process variables
    assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId()).list())
        .extracting(org.camunda.bpm.engine.history.HistoricVariableInstance::getName)
        .doesNotContain("channel", "creativeKey", "purpose", "lastOutboxId");
  }
}
