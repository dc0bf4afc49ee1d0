package dev.overture.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.junit.jupiter.api.Test;

/** Every path of bpmn/post-purchase.bpmn: the series to its end, ended by a ticket, and a shipping notice on the way. */
@Deployment(resources = "bpmn/post-purchase.bpmn")
class PostPurchasePathTest extends JourneyPathTestBase {

  @Test
  void thankYouNowTipsAfterThreeDaysReviewRequestAfterFourteen() {
    ProcessInstance pi = purchased();

    Job threeDays = fire(pi, "Event_ThreeDaysPassed");
    assertThat(Duration.between(Instant.now(), threeDays.getDuedate().toInstant())).isGreaterThan(Duration.ofDays(2));
    assertThat(creativesSent()).containsExactly("order-thank-you", "usage-tips");
    Job elevenDays = fire(pi, "Event_ElevenMoreDaysPassed");
    assertThat(Duration.between(Instant.now(), elevenDays.getDuedate().toInstant())).isGreaterThan(Duration.ofDays(10));

    assertThat(pi).hasPassed("EndEvent_SeriesDone").isEnded();
    assertThat(sent()).containsExactly(new Sent("Task_SendThankYouEmail", "email", "transactional", "order-thank-you"),
        new Sent("Task_SendUsageTipsEmail", "email", "marketing", "usage-tips"),
        new Sent("Task_SendReviewRequestEmail", "email", "marketing", "review-request"));
  }

  @Test
  void ticketOpenedEndsTheSeriesAtOnce() {
    ProcessInstance pi = purchased();

    event("ticket.opened");

    assertThat(pi).hasPassed("StartEvent_TicketOpened", "EndEvent_EndedByTicket").isEnded();
    assertThat(creativesSent()).containsExactly("order-thank-you");
  }

  @Test
  void orderShippedSendsANoticeWithoutLeavingTheSeries() {
    ProcessInstance pi = purchased();

    event("order.shipped");

    assertThat(pi).hasPassed("EndEvent_ShippingNoticeSent").isWaitingAt("Event_ThreeDaysPassed");
    assertThat(sent()).containsExactly(new Sent("Task_SendThankYouEmail", "email", "transactional", "order-thank-you"),
        new Sent("Task_SendShippingNoticeEmail", "email", "transactional", "order-shipped"));
    // the Send tasks' fields are task properties: sending made no process variables
    assertThat(runtime().getVariables(pi.getId()).keySet()).doesNotContain("channel", "creativeKey", "purpose", "lastOutboxId");
  }

  private ProcessInstance purchased() {
    ProcessInstance pi = startedBy("order.completed", Map.of("profileId", profileId, "orderId", "o-1"));
    assertThat(creativesSent()).containsExactly("order-thank-you");
    assertThat(pi).isWaitingAt("Event_ThreeDaysPassed");
    return pi;
  }
}
