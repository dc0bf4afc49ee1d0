package dev.overture.journey;

import dev.overture.journey.internal.JourneyDefinitions;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Execution;
import org.springframework.jdbc.core.simple.JdbcClient;
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
  private final JdbcClient jdbc;
  private final String executionTable;
  private final String subscriptionTable;

  JourneyCorrelation(RuntimeService runtime, Journeys journeys, JourneyProperties props, JourneyDefinitions definitions,
      JdbcClient jdbc, ManagementService management) {
    this.runtime = runtime;
    this.journeys = journeys;
    this.props = props;
    this.definitions = definitions;
    this.jdbc = jdbc;
    // the engine's own table names (with its table prefix, if one is configured)
    this.executionTable = management.getTableName(Execution.class);
    this.subscriptionTable = executionTable.substring(0, executionTable.length() - "ACT_RU_EXECUTION".length()) + "ACT_RU_EVENT_SUBSCR";
  }

  /** An execution that waits for a message: what {@link #react} delivers the event to. */
  public record Wait(String executionId, String processInstanceId) {}

  /**
   * The executions waiting for any of {@code eventTypes} in the instances keyed by any of {@code businessKeys},
   * read in one query for a batch of events: the same executions that one execution query per event type and
   * key would find (a message subscription of that name on an execution of an instance with that business key).
   */
  public Waiting waiting(Collection<String> eventTypes, Collection<String> businessKeys) {
    Map<String, List<Wait>> byTypeAndKey = new HashMap<>();
    if (!eventTypes.isEmpty() && !businessKeys.isEmpty()) {
      // from the instances by business key to their executions to those executions' subscriptions, as the engine's
      // own query goes: every waiting instance may hold a subscription of a common name (ticket.opened), so a plan
      // that starts from the names reads them all (there is no index on the subscription's instance id)
      jdbc.sql("SELECT EVT.EXECUTION_ID_, RES.PROC_INST_ID_, EVT.EVENT_NAME_, INST.BUSINESS_KEY_ FROM " + executionTable + " INST JOIN "
              + executionTable + " RES ON RES.PROC_INST_ID_ = INST.ID_ JOIN " + subscriptionTable + " EVT ON EVT.EXECUTION_ID_ = RES.ID_ "
              + "WHERE INST.BUSINESS_KEY_ IN (:keys) AND EVT.EVENT_TYPE_ = 'message' AND EVT.EVENT_NAME_ IN (:types) ORDER BY EVT.EXECUTION_ID_")
          .param("types", List.copyOf(eventTypes))
          .param("keys", List.copyOf(businessKeys))
          .query((ResultSet rs) -> {
            byTypeAndKey.computeIfAbsent(rs.getString(3) + '\n' + rs.getString(4), k -> new ArrayList<>())
                .add(new Wait(rs.getString(1), rs.getString(2)));
          });
    }
    return new Waiting(byTypeAndKey);
  }

  /** The result of {@link #waiting(Collection, Collection)}. */
  public static final class Waiting {
    private final Map<String, List<Wait>> byTypeAndKey;

    private Waiting(Map<String, List<Wait>> byTypeAndKey) {
      this.byTypeAndKey = byTypeAndKey;
    }

    /** The executions waiting for {@code eventType} in the instances of these business keys, each once. */
    public List<Wait> of(String eventType, List<String> businessKeys) {
      Map<String, Wait> byId = new LinkedHashMap<>();
      for (String key : businessKeys) {
        byTypeAndKey.getOrDefault(eventType + '\n' + key, List.of()).forEach(w -> byId.putIfAbsent(w.executionId(), w));
      }
      return List.copyOf(byId.values());
    }
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
  public Map<String, List<String>> businessKeys(Collection<String> profileIds) {
    return journeys.businessKeys(profileIds);
  }

  /** {@link #react} with the profile's business keys already read ({@link #businessKeys}). */
  public Reaction react(String eventId, String eventType, String profileId, Map<String, Object> properties,
      List<String> businessKeys) {
    return react(eventId, eventType, profileId, properties, businessKeys,
        waiting(List.of(eventType), businessKeys).of(eventType, businessKeys));
  }

  /**
   * {@link #react} with the waiting executions already read ({@link #waiting(Collection, Collection)}). They must
   * have been read after every earlier reaction of the same transaction to the same instances.
   */
  public Reaction react(String eventId, String eventType, String profileId, Map<String, Object> properties,
      List<String> businessKeys, List<Wait> waits) {
    Map<String, Object> props = properties == null ? Map.of() : properties;
    int correlated = 0;
    Set<String> reached = new HashSet<>();
    for (Wait waiting : waits) {
      if (!keysMatch(waiting.processInstanceId(), props)) {
        continue;
      }
      // an earlier delivery to the same instance may have ended this wait (an interrupting event subprocess);
      // ask again rather than let the engine fail, which would mark the whole transaction rollback-only
      if (!reached.add(waiting.processInstanceId()) && runtime.createExecutionQuery().executionId(waiting.executionId())
          .messageEventSubscriptionName(eventType).count() == 0) {
        continue;
      }
      runtime.messageEventReceived(eventType, waiting.executionId());
      correlated++;
    }
    int started = journeys.enterOnEvent(eventId, eventType, profileId, startVariables(eventId, props));
    return new Reaction(correlated, started);
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
