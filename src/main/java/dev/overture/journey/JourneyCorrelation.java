package dev.overture.journey;

import dev.overture.journey.internal.JourneyDefinitions;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Execution;
import org.springframework.stereotype.Component;

/**
 * Correlates a customer event to the journeys of its profile that wait for a message of the same
 * name: intermediate catch events, event-based gateways and event subprocesses alike. A configured
 * correlation key (e.g. {@code cartId}) that both the event and the instance carry must match.
 * Runs in the caller's transaction; nobody waiting is a normal outcome.
 */
@Component
public class JourneyCorrelation {

  private final RuntimeService runtime;
  private final Journeys journeys;
  private final JourneyProperties props;
  private final JourneyDefinitions definitions;

  JourneyCorrelation(RuntimeService runtime, Journeys journeys, JourneyProperties props, JourneyDefinitions definitions) {
    this.runtime = runtime;
    this.journeys = journeys;
    this.props = props;
    this.definitions = definitions;
  }

  /**
   * False when no deployed journey (of any version) has a message of this name, so an event of this
   * type can be stored as done without a correlation: delivery outcomes such as {@code message.sent}
   * that nobody waits for, analytics-only Segment calls.
   */
  public boolean anyJourneyListensTo(String eventType) {
    return definitions.anyListensTo(eventType);
  }

  /** What an event did to journeys. */
  public record Reaction(int correlated, int started) {}

  /**
   * Delivers the event to each waiting execution first, then enters journeys that start on this event
   * type. Delivery is per execution ({@code messageEventReceived}), not {@code correlateAll}: the latter
   * also starts every process whose start event has that message name, without business key or
   * variables, whatever instance it is narrowed to. A wait that ends between the query and the
   * delivery (another node) fails the transaction, and the event is correlated again from its row.
   */
  public Reaction react(String eventId, String eventType, String profileId, Map<String, Object> properties) {
    return react(eventId, eventType, profileId, properties, journeys.businessKeys(profileId));
  }

  /** The business keys of several profiles' journeys in one query, for {@link #react} of a batch of events. */
  public Map<String, List<String>> businessKeys(java.util.Collection<String> profileIds) {
    return journeys.businessKeys(profileIds);
  }

  /** {@link #react} with the profile's business keys already read ({@link #businessKeys}). */
  public Reaction react(String eventId, String eventType, String profileId, Map<String, Object> properties,
      List<String> businessKeys) {
    Map<String, Object> props = properties == null ? Map.of() : properties;
    int correlated = 0;
    Set<String> reached = new HashSet<>();
    for (Execution waiting : waiting(eventType, businessKeys)) {
      if (!keysMatch(waiting.getProcessInstanceId(), props)) {
        continue;
      }
      // an earlier delivery to the same instance may have ended this wait (an interrupting event subprocess);
      // ask again rather than let the engine fail, which would mark the whole transaction rollback-only
      if (!reached.add(waiting.getProcessInstanceId()) && runtime.createExecutionQuery().executionId(waiting.getId())
          .messageEventSubscriptionName(eventType).count() == 0) {
        continue;
      }
      runtime.messageEventReceived(eventType, waiting.getId());
      correlated++;
    }
    int started = journeys.enterOnEvent(eventId, eventType, profileId, startVariables(eventId, props));
    return new Reaction(correlated, started);
  }

  private List<Execution> waiting(String eventType, List<String> businessKeys) {
    Map<String, Execution> byId = new LinkedHashMap<>();
    for (String key : businessKeys) {
      runtime.createExecutionQuery().messageEventSubscriptionName(eventType).processInstanceBusinessKey(key).list()
          .forEach(e -> byId.putIfAbsent(e.getId(), e));
    }
    return List.copyOf(byId.values());
  }

  /** False when the instance carries a correlation key with another value than the event. */
  private boolean keysMatch(String processInstanceId, Map<String, Object> props) {
    for (String key : this.props.correlationKeys()) {
      Object eventValue = props.get(key);
      if (eventValue == null) {
        continue;
      }
      Object instanceValue = runtime.getVariable(processInstanceId, key);
      if (instanceValue != null && !Objects.equals(String.valueOf(instanceValue), String.valueOf(eventValue))) {
        return false;
      }
    }
    return true;
  }

  /** A started journey gets the event id and the event's scalar properties (ids such as cartId) as variables. */
  private static Map<String, Object> startVariables(String eventId, Map<String, Object> props) {
    Map<String, Object> vars = new java.util.HashMap<>();
    props.forEach((k, v) -> {
      if ((v instanceof String s && s.length() <= 255) || v instanceof Number || v instanceof Boolean) {
        vars.put(k, v);
      }
    });
    vars.put("eventId", eventId);
    return vars;
  }
}
