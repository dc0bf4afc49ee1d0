package dev.overture.event.internal;

import dev.overture.event.EventReactions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * {@code overture.event.reaction}: from the moment ingestion accepted an event ({@code received_at}) to the commit of
 * the journey step it moved, for every event that moved or started a journey, as a histogram whose buckets a
 * dashboard turns into percentiles across nodes. Recorded in memory after the commit, from the row the correlation
 * has locked already: it costs the reaction no statement.
 */
@Component
class ReactionLatency {

  private final Timer timer;

  ReactionLatency(MeterRegistry meters) {
    this.timer = Timer.builder("overture.event.reaction")
        .description("From an event's acceptance to the commit of the journey step it moved or started")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(1))
        .register(meters);
  }

  /** After the commit of the transaction that correlated {@code rows}, whose reactions are {@code reactions}, in order. */
  void committed(List<CorrelationQueue.Row> rows, List<EventReactions.Reaction> reactions) {
    Instant now = Instant.now();
    for (int i = 0; i < rows.size() && i < reactions.size(); i++) {
      EventReactions.Reaction r = reactions.get(i);
      if (r.correlated() > 0 || r.started() > 0) {
        timer.record(Duration.between(rows.get(i).receivedAt(), now));
      }
    }
  }
}
