package dev.overture.event.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** {@code overture.events.*}: ingestion limits, events per ingest transaction ({@link EventWriter}), the correlation queue, the AMQP inbound and Segment write key. */
@ConfigurationProperties("overture.events")
public record EventsProperties(
    @DefaultValue("64KB") DataSize maxEventSize,
    @DefaultValue("512KB") DataSize maxBatchSize,
    @DefaultValue("1000") int maxBatchEvents,
    @DefaultValue("P1D") Duration maxClockSkew,
    @DefaultValue("500") int ingestBatchSize,
    @DefaultValue Correlation correlation,
    @DefaultValue Amqp amqp,
    String segmentWriteKey) {

  /**
   * The durable correlation queue: each stored event is handed to one of {@code partitions}
   * threads by profile (so one profile's events correlate in order), which correlates up to
   * {@code batchSize} waiting events in one transaction; a poller retries what failed
   * or was left behind by a crash once its lease expired. A profile's event waits while an earlier one
   * of that profile is still to be correlated, unless that one has failed {@code holdAttempts} times
   * already: then it is taken for an event that will not correlate soon, and the later ones go on.
   */
  public record Correlation(
      @DefaultValue("4") int partitions,
      @DefaultValue("10") int batchSize,
      @DefaultValue("30s") Duration lease,
      @DefaultValue("1s") Duration retryPollInterval,
      @DefaultValue("100") int retryBatchSize,
      @DefaultValue("2s") Duration retryBase,
      @DefaultValue("5m") Duration retryMax,
      @DefaultValue("4") int holdAttempts) {}

  /** The AMQP inbound: a durable queue and its dead-letter queue, both declared by Overture. */
  public record Amqp(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("overture.events") String queue,
      @DefaultValue("2") int consumers,
      Duration queueExpires) {

    public String deadLetterQueue() {
      return queue + ".dlq";
    }
  }
}
