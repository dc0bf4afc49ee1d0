package dev.overture.event.internal;

import dev.overture.event.InboundEvent;
import java.util.List;
import org.springframework.integration.annotation.MessagingGateway;

/** The typed entry of the {@code eventIngestion} flow: REST, Segment and AMQP all come in here. */
@MessagingGateway(name = "eventIngestionGateway", defaultRequestChannel = "eventIngestion.input")
public interface EventGateway {

  /** Validates and stores the batch; when this returns the events are durable. */
  List<EventStore.Stored> ingest(List<InboundEvent> batch);
}
