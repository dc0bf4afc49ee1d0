package dev.overture.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import dev.overture.delivery.Delivery;
import dev.overture.event.Events;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;

/** overture_messages_total counts customers' outcomes, from the dispatcher and the tracking links, and no test profile's. */
class OutcomesMetricsTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Outcomes outcomes = new Outcomes(mock(Events.class), meters, mock(MessageCounters.class), mock(TransactionTemplate.class),
      mock(EngagementSignals.class));

  @Test
  void aTestProfilesDispatchOutcomesMoveNoMessageMetric() {
    outcomes.recordAll(List.of(
        new FinalState(email(), Delivery.SENT, null, "cora@example.com", 1, null, false),
        new FinalState(email(), Delivery.SENT, null, "tess@example.com", 1, null, true),
        new FinalState(email(), Delivery.SUPPRESSED, "no marketing consent for email at send time", null, null, null, true)));

    assertThat(count("sent")).isEqualTo(1);
    assertThat(count("suppressed")).isZero();
  }

  @Test
  void aTestProfilesOpensMoveNoMessageMetric() {
    outcomes.record("o-1", "cora", "email", null, null, "opened", null, null, false);
    outcomes.record("o-2", "tess", "email", null, null, "opened", null, null, true);

    assertThat(count("opened")).isEqualTo(1);
  }

  private double count(String outcome) {
    var counter = meters.find("overture.messages").tag("channel", "email").tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  private static Delivery email() {
    return new Delivery(UUID.randomUUID().toString(), "p", "email", "marketing", "welcome", 1, "welcome", "pi", "Task_Send",
        Delivery.SENDING, null, null, 1, Instant.now(), Instant.now(), null, null, null, null);
  }
}
