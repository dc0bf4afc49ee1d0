package dev.overture.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.delivery.Deliveries;
import dev.overture.delivery.Delivery;
import dev.overture.event.CustomerEvent;
import dev.overture.event.Events;
import dev.overture.journey.Journeys;
import dev.overture.profile.Profiles;
import dev.overture.support.AppTestBase;
import dev.overture.support.JourneyRuns;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every path of bpmn/welcome.bpmn, with jobs (async steps and the timer) executed by the test. */
class WelcomeJourneyProcessTest extends AppTestBase {

  @Autowired ProcessEngine engine;
  @Autowired Profiles profiles;
  @Autowired Consents consents;
  @Autowired Events events;
  @Autowired Deliveries deliveries;
  @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;

  @BeforeEach
  void init() {
    BpmnAwareTests.init(engine);
  }

  @Test
  void endsWithoutMessagesWhenThereIsNoEmailConsent() {
    String profileId = profile();

    ProcessInstance pi = enter(profileId);

    assertThat(JourneyRuns.endElement(jdbc, pi.getId())).isEqualTo("EndEvent_NoConsent");
    assertThat(deliveries.ofProfile(profileId)).isEmpty();
  }

  @Test
  void purchaseBeforeTheTimerEndsTheJourneyAfterTheWelcomeOnly() {
    String profileId = consentingProfile();

    ProcessInstance pi = enter(profileId);
    assertThat(deliveries.ofProfile(profileId)).extracting(Delivery::creativeKey).containsExactly("welcome");
    assertThat(pi).isWaitingAt("Gateway_PurchaseOrTimeout");

    events.ingest(new CustomerEvent(UUID.randomUUID().toString(), "purchase.completed", profileId, Instant.now(), Map.of()));

    assertThat(JourneyRuns.endElement(jdbc, pi.getId())).isEqualTo("EndEvent_Purchased");
    assertThat(deliveries.ofProfile(profileId)).extracting(Delivery::creativeKey).containsExactly("welcome");
  }

  @Test
  void reminderGoesWhenTwoDaysPassWithoutPurchase() {
    String profileId = consentingProfile();

    ProcessInstance pi = enter(profileId);
    assertThat(pi).isWaitingAt("Gateway_PurchaseOrTimeout");
    assertThat(deliveries.ofProfile(profileId)).extracting(Delivery::creativeKey).containsExactly("welcome");

    execute(job());

    assertThat(JourneyRuns.endElement(jdbc, pi.getId())).isEqualTo("EndEvent_ReminderSent");
    assertThat(deliveries.ofProfile(profileId)).extracting(Delivery::creativeKey)
        .containsExactly("welcome", "welcome-reminder");
    assertThat(deliveries.ofProfile(profileId)).extracting(Delivery::purpose).containsOnly("marketing");
  }

  private String profile() {
    return profiles.upsert(Map.of("email", "p-" + UUID.randomUUID() + "@example.com"), Map.of("firstName", "Pat"))
        .profile().id();
  }

  private String consentingProfile() {
    String id = profile();
    consents.record(id, Channel.EMAIL, Purpose.MARKETING, true, "test", "test");
    return id;
  }

  private ProcessInstance enter(String profileId) {
    return engine.getRuntimeService().startProcessInstanceByKey("welcome", profileId, Map.of(Journeys.PROFILE_ID, profileId));
  }
}
