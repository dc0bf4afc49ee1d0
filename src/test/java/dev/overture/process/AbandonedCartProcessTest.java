package dev.overture.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import dev.overture.delivery.Delivery;
import dev.overture.support.TestMail;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

/**
 * bpmn/abandoned-cart.bpmn in the shared app: entered by the cart.abandoned event, ended only by an order.completed
 * with the same cartId, and a test profile's walk through it. Its paths one by one: {@link AbandonedCartPathTest}.
 */
class AbandonedCartProcessTest extends JourneyProcessTestBase {

  @Test
  void orderWithTheSameCartWithinTheHourEndsTheJourneyBeforeAnyMessage() {
    String profileId = consentingProfile(Map.of());
    String cartId = "cart-" + UUID.randomUUID();

    send("cart.abandoned", profileId, Map.of("cartId", cartId));
    ProcessInstance pi = instance("abandoned-cart", profileId);
    assertThat(pi).isWaitingAt("Gateway_OrderedWithinHour");

    send("order.completed", profileId, Map.of("cartId", cartId));

    assertThat(endedAt(pi)).isEqualTo("EndEvent_OrderedBeforeReminder");
    assertThat(creativesSentTo(profileId)).doesNotContain("cart-reminder", "cart-last-call");
    // order.completed also starts post-purchase: once, for this profile, and no instance without a profile
    assertThat(instancesEver("post-purchase", profileId)).isEqualTo(1);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM journey_run WHERE journey_key = 'post-purchase' AND profile_id = ''")
        .query(Long.class).single()).as("post-purchase instances without a business key").isZero();
  }

  @Test
  void orderOfAnotherCartLeavesTheJourneyWaiting() {
    String profileId = consentingProfile(Map.of());
    send("cart.abandoned", profileId, Map.of("cartId", "cart-" + UUID.randomUUID()));
    ProcessInstance pi = instance("abandoned-cart", profileId);

    send("order.completed", profileId, Map.of("cartId", "another-cart"));

    assertThat(pi).isWaitingAt("Gateway_OrderedWithinHour");
  }

  @Test
  void testProfileWaitsSecondsAndItsEmailGoesOnlyToTheFileOutbox() {
    String profileId = consentingProfile(Map.of("testProfile", true));
    String email = profiles.find(profileId).orElseThrow().email();
    send("cart.abandoned", profileId, Map.of("cartId", "cart-" + UUID.randomUUID()));
    ProcessInstance pi = instance("abandoned-cart", profileId);

    Job hour = runJobAt(pi, "Event_HourPassed");
    assertThat(Duration.between(Instant.now(), hour.getDuedate().toInstant())).isLessThan(Duration.ofSeconds(15));
    assertThat(creativesSentTo(profileId)).containsExactly("cart-reminder");

    String outboxId = deliveries.ofProfile(profileId).get(0).id();
    await().atMost(Duration.ofSeconds(10)).until(() -> Delivery.SENT.equals(deliveries.find(outboxId).orElseThrow().status()));
    assertThat(Path.of("target/test-outbox", outboxId + ".eml")).exists();
    assertThat(TestMail.to(email)).as("nothing reaches SMTP for a test profile").isEmpty();
    assertThat(Files.exists(Path.of("target/test-outbox", outboxId + ".eml"))).isTrue();
  }
}
