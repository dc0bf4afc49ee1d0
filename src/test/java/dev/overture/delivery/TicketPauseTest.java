package dev.overture.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import dev.overture.event.CustomerEvent;
import dev.overture.event.Events;
import dev.overture.support.AppTestBase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A customer with an open service ticket gets no marketing until it is resolved; transactional mail still goes. */
class TicketPauseTest extends AppTestBase {

  @Autowired Deliveries deliveries;
  @Autowired Events events;

  private static final Origin NO_JOURNEY = new Origin(null, null, null);

  private void ticket(String type, String profileId) {
    events.ingest(new CustomerEvent(UUID.randomUUID().toString(), type, profileId, Instant.now(), Map.of("ticketId", "t-1")));
  }

  private Delivery settled(String outboxId) {
    await().atMost(Duration.ofSeconds(15)).until(() -> {
      String status = deliveries.find(outboxId).orElseThrow().status();
      return !Delivery.PENDING.equals(status) && !Delivery.SENDING.equals(status);
    });
    return deliveries.find(outboxId).orElseThrow();
  }

  @Test
  void ticketOpenedPausesMarketingTicketResolvedLiftsItTransactionalStillGoes() {
    String profileId = createProfile(uniqueEmail("ticket"), "Tom");
    setConsent(profileId, "email", "marketing", "granted");

    ticket("ticket.opened", profileId);
    Delivery marketing = settled(deliveries.enqueue(profileId, Channel.EMAIL, Purpose.MARKETING, "welcome", NO_JOURNEY));
    Delivery transactional = settled(deliveries.enqueue(profileId, Channel.EMAIL, Purpose.TRANSACTIONAL, "order-thank-you", NO_JOURNEY));

    assertThat(marketing.status()).isEqualTo(Delivery.SUPPRESSED);
    assertThat(marketing.reason()).contains("open service ticket");
    assertThat(transactional.status()).isEqualTo(Delivery.SENT);

    ticket("ticket.resolved", profileId);
    Delivery afterResolution = settled(deliveries.enqueue(profileId, Channel.EMAIL, Purpose.MARKETING, "welcome", NO_JOURNEY));

    assertThat(afterResolution.status()).isEqualTo(Delivery.SENT);
  }
}
