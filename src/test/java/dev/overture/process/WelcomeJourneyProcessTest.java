package dev.overture.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import dev.overture.delivery.Delivery;
import dev.overture.journey.Journeys;
import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

/**
 * bpmn/welcome.bpmn end to end in the shared app: consent read from the ledger, both emails in the outbox, the end in
 * the journey log. Its paths one by one: {@link WelcomePathTest}.
 */
class WelcomeJourneyProcessTest extends JourneyProcessTestBase {

  @Test
  void reminderGoesWhenTwoDaysPassWithoutPurchase() {
    String profileId = consentingProfile(Map.of());

    ProcessInstance pi = engine.getRuntimeService().startProcessInstanceByKey("welcome", profileId,
        Map.of(Journeys.PROFILE_ID, profileId));
    assertThat(pi).isWaitingAt("Gateway_PurchaseOrTimeout");
    assertThat(creativesSentTo(profileId)).containsExactly("welcome");

    runJobAt(pi, "Event_TwoDaysPassed");

    assertThat(endedAt(pi)).isEqualTo("EndEvent_ReminderSent");
    assertThat(creativesSentTo(profileId)).containsExactly("welcome", "welcome-reminder");
    assertThat(deliveries.ofProfile(profileId)).extracting(Delivery::purpose).containsOnly("marketing");
  }
}
