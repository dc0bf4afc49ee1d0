package dev.overture.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import java.time.Duration;
import java.time.Instant;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.junit.jupiter.api.Test;

/** Every path of bpmn/welcome.bpmn: no consent, a purchase before the two days are over, and the reminder after them. */
@Deployment(resources = "bpmn/welcome.bpmn")
class WelcomePathTest extends JourneyPathTestBase {

  @Test
  void endsWithoutMessagesWhenThereIsNoEmailConsent() {
    ProcessInstance pi = enter("welcome");

    verify(consents).allows(profileId, Channel.EMAIL, Purpose.MARKETING);
    assertThat(pi).hasPassed("Task_CheckEmailConsent").isEnded();
    assertThat(pi).hasPassed("EndEvent_NoConsent");
    assertThat(sent()).isEmpty();
  }

  @Test
  void purchaseBeforeTheTimerEndsTheJourneyAfterTheWelcomeOnly() {
    consenting();
    ProcessInstance pi = enter("welcome");
    assertThat(pi).isWaitingAt("Gateway_PurchaseOrTimeout");
    assertThat(sent()).containsExactly(new Sent("Task_SendWelcomeEmail", "email", "marketing", "welcome"));

    event("purchase.completed");

    assertThat(pi).hasPassed("Event_PurchaseCompleted", "EndEvent_Purchased").isEnded();
    assertThat(creativesSent()).containsExactly("welcome");
  }

  @Test
  void reminderGoesWhenTwoDaysPassWithoutPurchase() {
    consenting();
    ProcessInstance pi = enter("welcome");

    Job twoDays = fire(pi, "Event_TwoDaysPassed");

    assertThat(Duration.between(Instant.now(), twoDays.getDuedate().toInstant())).isGreaterThan(Duration.ofHours(47));
    assertThat(pi).hasPassed("Task_SendReminderEmail", "EndEvent_ReminderSent").isEnded();
    assertThat(sent()).containsExactly(new Sent("Task_SendWelcomeEmail", "email", "marketing", "welcome"),
        new Sent("Task_SendReminderEmail", "email", "marketing", "welcome-reminder"));
  }

  private void consenting() {
    when(consents.allows(anyString(), eq(Channel.EMAIL), eq(Purpose.MARKETING))).thenReturn(true);
  }
}
