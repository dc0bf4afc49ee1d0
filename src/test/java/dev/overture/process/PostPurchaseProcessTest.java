package dev.overture.process;

import dev.overture.support.JourneyRuns;
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
    assertThat(creativesSentTo(profileId)).containsExactly("order-thank-you");
    assertThat(pi).isWaitingAt("Event_ThreeDaysPassed");
    return pi;
  }

  @Test
  void thankYouNowTipsAfterThreeDaysReviewRequestAfterFourteen() {
    String profileId = consentingProfile(Map.of());
    ProcessInstance pi = purchase(profileId);

    Job threeDays = runJobAt(pi, "Event_ThreeDaysPassed");
    assertThat(Duration.between(Instant.now(), threeDays.getDuedate().toInstant())).isGreaterThan(Duration.ofDays(2));
    assertThat(creativesSentTo(profileId)).containsExactly("order-thank-you", "usage-tips");
    Job elevenDays = runJobAt(pi, "Event_ElevenMoreDaysPassed");
    assertThat(Duration.between(Instant.now(), elevenDays.getDuedate().toInstant())).isGreaterThan(Duration.ofDays(10));

    assertThat(endedAt(pi)).isEqualTo("EndEvent_SeriesDone");
    assertThat(deliveries.ofProfile(profileId)).extracting(Delivery::creativeKey)
        .containsExactly("order-thank-you", "usage-tips", "review-request");
    assertThat(deliveries.ofProfile(profileId).get(0).purpose()).isEqualTo("transactional");
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

  @Test
  void orderShippedSendsANoticeWithoutLeavingTheSeries() {
    String profileId = consentingProfile(Map.of());
    ProcessInstance pi = purchase(profileId);

    send("order.shipped", profileId, Map.of());

    assertThat(pi).isWaitingAt("Event_ThreeDaysPassed");
    assertThat(creativesSentTo(profileId)).containsExactly("order-thank-you", "order-shipped");
    // the Send tasks' fields are task properties: sending made no process variables
    assertThat(engine.getRuntimeService().getVariables(pi.getId()).keySet())
        .doesNotContain("channel", "creativeKey", "purpose", "lastOutboxId");
  }
}
