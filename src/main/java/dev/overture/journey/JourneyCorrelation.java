package dev.overture.journey;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Execution;
import org.camunda.bpm.engine.runtime.MessageCorrelationBuilder;
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

  JourneyCorrelation(RuntimeService runtime, Journeys journeys, JourneyProperties props) {
    this.runtime = runtime;
    this.journeys = journeys;
    this.props = props;
  }

  /** What an event did to journeys. */
  public record Reaction(int correlated, int started) {}

  /** Correlates to waiting instances first, then enters journeys that start on this event type. */
  public Reaction react(String eventId, String eventType, String profileId, Map<String, Object> properties) {
    Map<String, Object> props = properties == null ? Map.of() : properties;
    int correlated = 0;
    for (String processInstanceId : waiting(eventType, journeys.businessKeys(profileId))) {
      MessageCorrelationBuilder correlation = runtime.createMessageCorrelation(eventType).processInstanceId(processInstanceId);
      if (!narrowByKeys(correlation, processInstanceId, props)) {
        continue;
      }
      try {
        correlated += correlation.correlateAllWithResult().size();
      } catch (MismatchingMessageCorrelationException nobodyWaitingAnyMore) {
        // the instance moved on between query and correlation: a normal outcome
      }
    }
    int started = journeys.enterOnEvent(eventId, eventType, profileId, startVariables(eventId, props));
    return new Reaction(correlated, started);
  }

  private Set<String> waiting(String eventType, List<String> businessKeys) {
    Set<String> ids = new LinkedHashSet<>();
    for (String key : businessKeys) {
      runtime.createExecutionQuery().messageEventSubscriptionName(eventType).processInstanceBusinessKey(key).list()
          .stream().map(Execution::getProcessInstanceId).forEach(ids::add);
    }
    return ids;
  }

  /** False when the instance carries a correlation key with another value than the event. */
  private boolean narrowByKeys(MessageCorrelationBuilder correlation, String processInstanceId, Map<String, Object> props) {
    for (String key : this.props.correlationKeys()) {
      Object eventValue = props.get(key);
      if (eventValue == null) {
        continue;
      }
      Object instanceValue = runtime.getVariable(processInstanceId, key);
      if (instanceValue == null) {
        continue;
      }
      if (!Objects.equals(String.valueOf(instanceValue), String.valueOf(eventValue))) {
        return false;
      }
      correlation.processInstanceVariableEquals(key, instanceValue);
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
