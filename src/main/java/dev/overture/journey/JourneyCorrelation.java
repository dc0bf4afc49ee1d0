package dev.overture.journey;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.event.EventReactions;
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
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Execution;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Correlates customer events to the journeys of their profiles that wait for a message of the same
 * name: intermediate catch events, event-based gateways and event subprocesses alike. A configured
 * correlation key (e.g. {@code cartId}) that both the event and the instance carry must match.
 * Runs in the caller's transaction (the event module's, which marks the events processed); nobody
 * waiting is a normal outcome.
 */
@Component
class JourneyCorrelation implements EventReactions {

  private final RuntimeService runtime;
  private final Journeys journeys;
  private final JourneyProperties props;
  private final JourneyDefinitions definitions;
  private final JdbcClient jdbc;
  private final String executionTable;
  private final String subscriptionTable;
  private final ObjectMapper json;

  JourneyCorrelation(RuntimeService runtime, Journeys journeys, JourneyProperties props, JourneyDefinitions definitions,
      JdbcClient jdbc, ManagementService management, ObjectMapper json) {
    this.json = json;
    this.runtime = runtime;
    this.journeys = journeys;
    this.props = props;
    this.definitions = definitions;
    this.jdbc = jdbc;
    // the engine's own table names (with its table prefix, if one is configured)
    this.executionTable = management.getTableName(Execution.class);
    this.subscriptionTable = executionTable.substring(0, executionTable.length() - "ACT_RU_EXECUTION".length()) + "ACT_RU_EVENT_SUBSCR";
  }

  private static final String WAITS = "journey-waits";
  private static final TypeReference<List<List<String>>> PAIRS = new TypeReference<>() {};

  /** An execution that waits for a message: what {@link #react} delivers the event to. */
  private record Wait(String executionId, String processInstanceId) {}

  /** False when no deployed journey (of any version) has a message of this name. */
  @Override
  public boolean anyReactsTo(String eventType) {
    return definitions.anyListensTo(eventType);
  }

  /**
   * The executions waiting for the event's type in the instances keyed by its profile id, read along with the lock
   * of its row: the same executions as {@link #waiting(Collection, Collection)} finds for that type and key, a query
   * less per event; a dry run's shadow of the profile waits under its own key, read the same way. STRAIGHT_JOIN
   * keeps the join starting from the business key: correlated to the row, the optimizer has no value to estimate with
   * and may start from the subscriptions by name, which every waiting instance shares.
   */
  @Override
  public Optional<ReadAlong> readAlong() {
    return Optional.of(new ReadAlong(WAITS, "JSON_MERGE_PRESERVE(" + waitsUnder("e.profile_id") + ", "
        + waitsUnder("CONCAT('" + dev.overture.journey.internal.DryRuns.SHADOW_KEY_PREFIX + "', e.profile_id)") + ")", Map.of()));
  }

  /** The executions waiting for the locked event's type under one business key, as a JSON array (never NULL). */
  private String waitsUnder(String businessKey) {
    return "COALESCE((SELECT STRAIGHT_JOIN JSON_ARRAYAGG(JSON_ARRAY(EVT.EXECUTION_ID_, RES.PROC_INST_ID_) "
        + "ORDER BY EVT.EXECUTION_ID_) FROM " + executionTable + " INST JOIN " + executionTable + " RES ON RES.PROC_INST_ID_ = INST.ID_ "
        + "JOIN " + subscriptionTable + " EVT ON EVT.EXECUTION_ID_ = RES.ID_ WHERE INST.BUSINESS_KEY_ = " + businessKey
        + " AND EVT.EVENT_TYPE_ = 'message' AND EVT.EVENT_NAME_ = e.type AND RES.SUSPENSION_STATE_ = 1), '[]')";
  }

  /**
   * Reacts to each event in turn, delivering it to the executions waiting for it: those read along with the lock,
   * or else read for all such events of the batch in one query, by every type and by each profile's id and merged-away
   * ids. A profile's later events in the batch ask again, since its earlier event may have moved its journeys on (or
   * started one).
   */
  @Override
  public List<Reaction> react(List<Occurred> events) {
    if (events.isEmpty()) {
      return List.of();
    }
    Waiting waiting = null;
    Set<String> touched = new HashSet<>();
    List<Reaction> reactions = new ArrayList<>(events.size());
    for (Occurred event : events) {
      // a dry run's shadow of the profile waits for the same events under its own business key
      List<String> own = withShadows(event.profileIds());
      boolean first = own.stream().noneMatch(touched::contains);
      touched.addAll(own);
      String along = first ? event.readAlong().get(WAITS) : null;
      List<Wait> waits;
      if (along != null) {
        waits = waits(along);
      } else if (first) {
        if (waiting == null) {
          waiting = waiting(events.stream().map(Occurred::type).collect(Collectors.toSet()),
              events.stream().flatMap(e -> withShadows(e.profileIds()).stream()).collect(Collectors.toSet()));
        }
        waits = waiting.of(event.type(), own);
      } else {
        waits = waiting(List.of(event.type()), own).of(event.type(), own);
      }
      reactions.add(react(event, waits));
    }
    return reactions;
  }

  private List<Wait> waits(String json) {
    try {
      return this.json.readValue(json, PAIRS).stream().map(p -> new Wait(p.get(0), p.get(1))).toList();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("waiting executions are not a JSON array", e);
    }
  }

  /**
   * The executions waiting for any of {@code eventTypes} in the instances keyed by any of {@code businessKeys},
   * read in one query for a batch of events: the same executions that one execution query per event type and
   * key would find (a message subscription of that name on an execution of an instance with that business key).
   */
  private Waiting waiting(Collection<String> eventTypes, Collection<String> businessKeys) {
    Map<String, List<Wait>> byTypeAndKey = new HashMap<>();
    if (!eventTypes.isEmpty() && !businessKeys.isEmpty()) {
      // from the instances by business key to their executions to those executions' subscriptions, as the engine's
      // own query goes: every waiting instance may hold a subscription of a common name (ticket.opened), so a plan
      // that starts from the names reads them all (there is no index on the subscription's instance id). A suspended
      // execution (its journey paused with suspendRunning) is not waiting: the engine would refuse the delivery and so
      // fail the whole batch, again at every retry
      jdbc.sql("SELECT EVT.EXECUTION_ID_, RES.PROC_INST_ID_, EVT.EVENT_NAME_, INST.BUSINESS_KEY_ FROM " + executionTable + " INST JOIN "
              + executionTable + " RES ON RES.PROC_INST_ID_ = INST.ID_ JOIN " + subscriptionTable + " EVT ON EVT.EXECUTION_ID_ = RES.ID_ "
              + "WHERE INST.BUSINESS_KEY_ IN (:keys) AND EVT.EVENT_TYPE_ = 'message' AND EVT.EVENT_NAME_ IN (:types) "
              + "AND RES.SUSPENSION_STATE_ = 1 ORDER BY EVT.EXECUTION_ID_")
          .param("types", List.copyOf(eventTypes))
          .param("keys", List.copyOf(businessKeys))
          .query((ResultSet rs) -> {
            byTypeAndKey.computeIfAbsent(rs.getString(3) + '\n' + rs.getString(4), k -> new ArrayList<>())
                .add(new Wait(rs.getString(1), rs.getString(2)));
          });
    }
    return new Waiting(byTypeAndKey);
  }

  private static List<String> withShadows(List<String> profileIds) {
    List<String> keys = new ArrayList<>(profileIds.size() * 2);
    keys.addAll(profileIds);
    profileIds.forEach(id -> keys.add(dev.overture.journey.internal.DryRuns.SHADOW_KEY_PREFIX + id));
    return keys;
  }

  /** The result of {@link #waiting(Collection, Collection)}. */
  private static final class Waiting {
    private final Map<String, List<Wait>> byTypeAndKey;

    private Waiting(Map<String, List<Wait>> byTypeAndKey) {
      this.byTypeAndKey = byTypeAndKey;
    }

    /** The executions waiting for {@code eventType} in the instances of these business keys, each once. */
    List<Wait> of(String eventType, List<String> businessKeys) {
      Map<String, Wait> byId = new LinkedHashMap<>();
      for (String key : businessKeys) {
        byTypeAndKey.getOrDefault(eventType + '\n' + key, List.of()).forEach(w -> byId.putIfAbsent(w.executionId(), w));
      }
      return List.copyOf(byId.values());
    }
  }

  /**
   * Delivers the event to each waiting execution first, then enters journeys that start on this event
   * type. Delivery is per execution ({@code messageEventReceived}), not {@code correlateAll}: the latter
   * also starts every process whose start event has that message name, without business key or
   * variables, whatever instance it is narrowed to. A wait that ends between the query and the
   * delivery (another node) fails the transaction, and the event is correlated again from its row.
   * The waits must have been read after every earlier reaction of the same transaction to the same instances.
   */
  private Reaction react(Occurred event, List<Wait> waits) {
    String eventType = event.type();
    Map<String, Object> props = event.properties() == null ? Map.of() : event.properties();
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
      // the event a journey last waited for is the one its next message speaks about: the Send step reads its properties
      runtime.messageEventReceived(eventType, waiting.executionId(), Map.of(Journeys.EVENT_ID, event.eventId()));
      correlated++;
    }
    int started = journeys.enterOnEvent(event.eventId(), eventType, event.profileId(), startVariables(event.eventId(), props));
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
    vars.put(Journeys.EVENT_ID, eventId);
    return vars;
  }
}
