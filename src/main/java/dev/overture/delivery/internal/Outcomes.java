package dev.overture.delivery.internal;

import dev.overture.delivery.Delivery;
import dev.overture.event.CustomerEvent;
import dev.overture.event.Events;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every delivery outcome becomes a customer event {@code message.<outcome>} (sent, suppressed,
 * failed, bounced, opened, clicked, unsubscribed) so journeys can wait for it. The event id is the
 * outbox id plus the outcome, so a repeated outcome is stored once. Journeys react asynchronously,
 * as to any event; an outcome type that no journey names is only stored. A test profile's outcomes are events
 * like any other (its journeys react to them) but move no metric.
 */
@Component
public class Outcomes {

  private static final Logger log = LoggerFactory.getLogger(Outcomes.class);

  private final Events events;
  private final MeterRegistry meters;
  private final MessageCounters counters;
  private final TransactionTemplate tx;
  private final EngagementSignals engagements;

  Outcomes(Events events, MeterRegistry meters, MessageCounters counters, TransactionTemplate tx, EngagementSignals engagements) {
    this.events = events;
    this.meters = meters;
    this.counters = counters;
    this.tx = tx;
    this.engagements = engagements;
  }

  public void record(Delivery d, String outcome, String reason) {
    record(d.id(), d.profileId(), d.channel(), d.creativeKey(), d.journeyKey(), outcome, reason, null);
  }

  public void record(String outboxId, String profileId, String channel, String creativeKey, String journeyKey, String outcome,
      String reason, String detail) {
    record(outboxId, profileId, channel, creativeKey, journeyKey, outcome, reason, detail, false);
  }

  /** As {@link #record(String, String, String, String, String, String, String, String)}; {@code test}: a test profile's. */
  public void record(String outboxId, String profileId, String channel, String creativeKey, String journeyKey, String outcome,
      String reason, String detail, boolean test) {
    CustomerEvent event = event(outboxId, profileId, channel, creativeKey, journeyKey, outcome, reason, detail);
    if (!test) {
      count(channel, outcome);
    }
    // the first open, click or unsubscribe of a journey message moves its counter, with the mark that makes it the first
    boolean first = Boolean.TRUE.equals(tx.execute(s -> counters.first(outboxId, outcome)));
    try {
      events.publishAll(List.of(event));
    } catch (RuntimeException e) {
      // the delivery itself is recorded in the outbox; a journey that could not be told is logged, not failed
      log.warn("Outcome event {} for profile {} could not be stored or correlated: {}", event.eventId(), profileId, e.getMessage());
    }
    if (first || EngagementSignals.UNMARKED.contains(outcome)) {
      // a wait for engagement ends at the first of them; a repeated bounce or complaint finds that wait over
      engagements.recorded(outboxId, outcome);
    }
  }

  /** The outcome events of many finished rows, stored as one batch in the caller's transaction; a failure is the caller's. */
  void recordAll(List<FinalState> finals) {
    Instant now = Instant.now();
    for (FinalState f : finals) {
      if (f.test()) {
        continue;
      }
      count(f.delivery().channel(), f.status());
      if (f.delivery().dueAt() != null && !Delivery.SUPPRESSED.equals(f.status())) {
        // how long a due message waited for its provider call: the dispatcher's lag behind the outbox
        Timer.builder("overture.outbox.dispatch.lag").description("From a message's due time to its provider's answer")
            .tag("channel", f.delivery().channel()).register(meters)
            .record(Duration.between(f.delivery().dueAt(), now).isNegative() ? Duration.ZERO : Duration.between(f.delivery().dueAt(), now));
      }
    }
    engagements.finished(finals);
    events.publishAll(finals.stream()
        .map(f -> event(f.delivery().id(), f.delivery().profileId(), f.delivery().channel(), f.delivery().creativeKey(),
            f.delivery().journeyKey(), f.status(), f.reason(), null))
        .toList());
  }

  private void count(String channel, String outcome) {
    Counter.builder("overture.messages").description("Messages by channel and outcome (sent, suppressed, failed, bounced, opened, ...)")
        .tag("channel", channel == null ? "unknown" : channel).tag("outcome", outcome).register(meters).increment();
  }

  private static CustomerEvent event(String outboxId, String profileId, String channel, String creativeKey, String journeyKey,
      String outcome, String reason, String detail) {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("outboxId", outboxId);
    props.put("channel", channel);
    if (creativeKey != null) {
      props.put("creativeKey", creativeKey);
    }
    if (journeyKey != null) {
      props.put("journeyKey", journeyKey);
    }
    if (reason != null) {
      props.put("reason", reason);
    }
    String eventId = outboxId + ":" + outcome + (detail == null ? "" : ":" + detail);
    return new CustomerEvent(eventId, "message." + outcome, profileId, Instant.now(), props);
  }
}
