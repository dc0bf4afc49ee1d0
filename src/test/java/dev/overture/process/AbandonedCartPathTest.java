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

/** Every path of bpmn/abandoned-cart.bpmn: an order within the hour, within the day after the reminder, or none at all. */
@Deployment(resources = "bpmn/abandoned-cart.bpmn")
class AbandonedCartPathTest extends JourneyPathTestBase {

  @Test
  void anOrderWithinTheHourEndsTheJourneyBeforeAnyMessage() {
    ProcessInstance pi = abandoned();
    assertThat(pi).isWaitingAt("Gateway_OrderedWithinHour");

    event("order.completed");

    assertThat(pi).hasPassed("Event_OrderCompletedWithinHour", "EndEvent_OrderedBeforeReminder").isEnded();
    assertThat(sent()).isEmpty();
  }

  @Test
  void emailAfterAnHourThenPushAfterADayWithoutOrder() {
    ProcessInstance pi = abandoned();

    Job hour = fire(pi, "Event_HourPassed");
    assertThat(Duration.between(Instant.now(), hour.getDuedate().toInstant())).isGreaterThan(Duration.ofMinutes(55));
    assertThat(creativesSent()).containsExactly("cart-reminder");
    assertThat(pi).isWaitingAt("Gateway_OrderedWithinDay");
    Job day = fire(pi, "Event_DayPassed");

    assertThat(Duration.between(Instant.now(), day.getDuedate().toInstant())).isGreaterThan(Duration.ofHours(23));
    assertThat(pi).hasPassed("EndEvent_PushSent").isEnded();
    assertThat(sent()).containsExactly(new Sent("Task_SendCartReminderEmail", "email", "marketing", "cart-reminder"),
        new Sent("Task_SendCartLastCallPush", "push", "marketing", "cart-last-call"));
  }

  @Test
  void anOrderAfterTheReminderEndsTheJourneyBeforeThePush() {
    ProcessInstance pi = abandoned();
    fire(pi, "Event_HourPassed");

    event("order.completed");

    assertThat(pi).hasPassed("Event_OrderCompletedWithinDay", "EndEvent_OrderedAfterReminder").isEnded();
    assertThat(creativesSent()).containsExactly("cart-reminder");
  }

  private ProcessInstance abandoned() {
    return startedBy("cart.abandoned", Map.of("profileId", profileId, "cartId", "cart-1"));
  }
}
