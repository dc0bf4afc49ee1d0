package dev.overture.event.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.event.Events;
import dev.overture.event.InboundEvent;
import dev.overture.platform.DomainException;
import dev.overture.platform.InvalidInput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.amqp.support.AmqpMessageHeaderErrorMessageStrategy;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.messaging.support.ErrorMessage;

/**
 * Events from RabbitMQ: the same JSON as {@code POST /api/events} (one object or an array) into
 * the same {@code eventIngestion} flow; the message is acknowledged after the events are stored.
 * A message that can never be ingested (not JSON, invalid event) goes to the dead-letter queue with
 * the reason in header {@code x-overture-reason}, and consumption goes on; any other failure (the
 * database is down) requeues the message.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "overture.events.amqp.enabled", havingValue = "true")
class AmqpEventConfig {

  private static final Logger log = LoggerFactory.getLogger(AmqpEventConfig.class);
  static final String REASON_HEADER = "x-overture-reason";

  @Bean
  Queue eventQueue(EventsProperties props) {
    QueueBuilder q = QueueBuilder.durable(props.amqp().queue())
        .deadLetterExchange("")
        .deadLetterRoutingKey(props.amqp().deadLetterQueue());
    if (props.amqp().queueExpires() != null) {
      q.expires((int) props.amqp().queueExpires().toMillis());
    }
    return q.build();
  }

  @Bean
  Queue eventDeadLetterQueue(EventsProperties props) {
    QueueBuilder q = QueueBuilder.durable(props.amqp().deadLetterQueue());
    if (props.amqp().queueExpires() != null) {
      q.expires((int) props.amqp().queueExpires().toMillis());
    }
    return q.build();
  }

  /** Queue → parse → {@link Events#accept} (the eventIngestion flow); errors to {@code amqpEventErrors}. */
  @Bean
  IntegrationFlow amqpEventInbound(ConnectionFactory connectionFactory, EventsProperties props, Events events,
      ObjectMapper json, Queue eventQueue) {
    return IntegrationFlow
        .from(Amqp.inboundAdapter(connectionFactory, eventQueue.getName())
            .id("amqpEventAdapter")
            .configureContainer(c -> c.concurrentConsumers(props.amqp().consumers()).defaultRequeueRejected(true))
            .errorChannel("amqpEventErrors.input"))
        .handle(byte[].class, (body, headers) -> {
          events.accept(parse(json, body));
          return null;
        }, e -> e.id("amqpEventIngest"))
        .get();
  }

  /** Poison messages to the dead-letter queue with the reason; anything else is rethrown and requeued. */
  @Bean
  IntegrationFlow amqpEventErrors(RabbitTemplate rabbit, EventsProperties props) {
    return f -> f.handle(ErrorMessage.class, (error, headers) -> {
      Throwable cause = error.getPayload();
      String reason = poisonReason(cause);
      Message raw = (Message) error.getHeaders().get(AmqpMessageHeaderErrorMessageStrategy.AMQP_RAW_MESSAGE);
      if (reason == null || raw == null) {
        throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
      }
      MessageProperties properties = raw.getMessageProperties();
      properties.setHeader(REASON_HEADER, reason);
      properties.setHeader("x-original-queue", props.amqp().queue());
      rabbit.send("", props.amqp().deadLetterQueue(), new Message(raw.getBody(), properties));
      log.warn("Event message dead-lettered to {}: {}", props.amqp().deadLetterQueue(), reason);
      return null;
    }, e -> e.id("amqpEventDeadLetter"));
  }

  private static String poisonReason(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof DomainException p) {
        // a refused event is the message's fault; one that could not be done now (a merge that kept losing a race)
        // is worth redelivering
        return p.callersFault() ? p.type() + ": " + p.getMessage() : null;
      }
      if (c instanceof JsonProcessingException j) {
        return "not event JSON: " + j.getOriginalMessage();
      }
    }
    return null;
  }

  private static List<InboundEvent> parse(ObjectMapper json, byte[] body) {
    try {
      return parseJson(json, body);
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new InvalidInput("malformed-request", "not event JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static List<InboundEvent> parseJson(ObjectMapper json, byte[] body) throws java.io.IOException {
    JsonNode root = json.readTree(body);
    if (root == null || root.isMissingNode()) {
      throw new InvalidInput("malformed-request", "empty message body");
    }
    List<JsonNode> nodes = new ArrayList<>();
    if (root.isArray()) {
      root.forEach(nodes::add);
    } else if (root.has("events") && root.get("events").isArray()) {
      root.get("events").forEach(nodes::add);
    } else {
      nodes.add(root);
    }
    List<InboundEvent> out = new ArrayList<>();
    for (JsonNode n : nodes) {
      if (!n.isObject()) {
        throw new InvalidInput("invalid-event", "every event must be a JSON object");
      }
      Map<String, String> identities = n.has("identities") ? json.convertValue(n.get("identities"), STRINGS) : null;
      Map<String, Object> properties = n.has("properties") ? json.convertValue(n.get("properties"), OBJECTS) : new HashMap<>();
      out.add(InboundEvent.of(text(n, "eventId"), text(n, "type"), text(n, "profileId"), identities, text(n, "occurredAt"),
          properties, "amqp"));
    }
    return out;
  }

  private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, String>> STRINGS = new com.fasterxml.jackson.core.type.TypeReference<>() {};
  private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> OBJECTS = new com.fasterxml.jackson.core.type.TypeReference<>() {};

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
