package dev.overture.event.internal;

import dev.overture.event.InboundEvent;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.annotation.IntegrationComponentScan;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.Pollers;

/**
 * Event ingestion as Spring Integration flows. {@code eventIngestion}: validate the whole batch,
 * store it (durable when the gateway returns), then hand each new event to
 * {@code eventCorrelation}, whose partitions (by profile) correlate it right away.
 * {@code eventCorrelationRetry} polls the table for events whose correlation failed or whose
 * hand-over was lost in a crash.
 */
@Configuration(proxyBeanMethods = false)
@IntegrationComponentScan(basePackageClasses = EventGateway.class)
class EventFlows {

  /** Validate → store → hand new events to correlation; the reply is what was stored. */
  @Bean
  IntegrationFlow eventIngestion(EventValidator validator, EventWriter writer) {
    return f -> f
        .<List<InboundEvent>>handle((batch, headers) -> validator.validate(batch), e -> e.id("eventIngestion.validate"))
        .<List<EventValidator.ValidEvent>>handle((valid, headers) -> writer.store(valid), e -> e.id("eventIngestion.store"))
        .wireTap("eventCorrelationHandOver.input");
  }

  /** Splits what was stored into one message per event that waits for correlation, keyed by profile. */
  @Bean
  IntegrationFlow eventCorrelationHandOver() {
    return f -> f
        .split()
        .filter(EventStore.Stored.class, EventStore.Stored::pending,
            e -> e.id("eventCorrelationHandOver.pendingOnly").discardChannel("nullChannel"))
        .channel("eventCorrelation.input");
  }

  /**
   * Hands each event to its profile's correlation partition ({@link CorrelationWorkers}: one thread per
   * partition, chosen by profile id, so a profile's events correlate in arrival order, several per
   * transaction under load).
   */
  @Bean
  IntegrationFlow eventCorrelation(CorrelationWorkers workers) {
    return f -> f
        .handle(EventStore.Stored.class, (stored, headers) -> {
          workers.submit(stored);
          return null;
        }, e -> e.id("eventCorrelation.partition"));
  }

  /** The safety net: events not correlated (failure, crash, full queue) are claimed again once due. */
  @Bean
  IntegrationFlow eventCorrelationRetry(CorrelationQueue queue, EventsProperties props) {
    return IntegrationFlow
        .fromSupplier(() -> {
          List<EventStore.Stored> due = queue.claimDue(props.correlation().retryBatchSize());
          return due.isEmpty() ? null : due;
        }, e -> e.id("eventCorrelationPoller").poller(Pollers.fixedDelay(props.correlation().retryPollInterval())))
        .channel("eventCorrelationHandOver.input")
        .get();
  }
}
