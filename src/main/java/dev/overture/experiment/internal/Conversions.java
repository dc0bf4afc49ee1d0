package dev.overture.experiment.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.delivery.SentTouches;
import dev.overture.event.EventReactions;
import dev.overture.journey.JourneyGoals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Goal events become conversions when they are correlated, in the transaction that marks the event
 * processed (so a conversion is never lost with a rollback, and an event correlated again finds its
 * conversion there): for each journey instance of the profile (merged-away ids included) whose version
 * declares this goal, entered at or before the event and no longer ago than the goal's window, that has not
 * converted yet and whose condition the event's properties meet. The instance's primary key in
 * {@code journey_conversion} makes a second goal event a no-op. A test profile's runs never convert. Runs before the journeys react
 * ({@code @Order}), so a journey that this very event starts does not count it.
 */
@Component
@Order(0)
class Conversions implements EventReactions {

  static final String METER = "overture.journey.conversions";

  private final JourneyGoals goals;
  private final JdbcClient jdbc;
  private final ObjectMapper json;
  private final MeterRegistry meters;

  Conversions(JourneyGoals goals, JdbcClient jdbc, MeterRegistry meters, ObjectMapper json) {
    this.goals = goals;
    this.json = json;
    this.jdbc = jdbc;
    this.meters = meters;
  }

  /**
   * An instance of a journey the profile entered, not converted yet; {@code variant}: its first experiment arm,
   * "none" outside a split; {@code touches}: the messages it sent the profile, oldest first.
   */
  private record Run(String instanceId, String journeyKey, int version, Instant startedAt, String variant,
      List<SentTouches.Touch> touches) {}

  private static final String READ_ALONG = "conversion-runs";
  private static final TypeReference<List<List<Object>>> ROWS = new TypeReference<>() {};
  private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  @Override
  public boolean anyReactsTo(String eventType) {
    return goals.anyGoalIs(eventType);
  }

  /** The runs of a goal event's profile, read with the lock of its row: a query less per goal event. */
  @Override
  public Optional<ReadAlong> readAlong() {
    List<JourneyGoals.Goal> all = goals.all();
    if (all.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ReadAlong(READ_ALONG, "CASE WHEN e.type IN (:conversionTypes) THEN "
        + runs("r.profile_id = e.profile_id", "(e.profile_id)", ":conversionKeys") + " END",
        Map.of("conversionTypes", all.stream().map(JourneyGoals.Goal::eventType).distinct().toList(),
            "conversionKeys", all.stream().map(JourneyGoals.Goal::journeyKey).distinct().toList())));
  }

  @Override
  public List<Reaction> react(List<Occurred> events) {
    for (Occurred event : events) {
      if (goals.anyGoalIs(event.type())) {
        convert(event);
      }
    }
    return Collections.nCopies(events.size(), new Reaction(0, 0));
  }

  /**
   * The runs, as one JSON value that is never NULL: the test profile's runs never convert; the run's journey key is
   * among {@code keys} (a parameter reference).
   */
  private static String runs(String profileCondition, String profileIds, String keys) {
    return """
        COALESCE((SELECT JSON_ARRAYAGG(JSON_ARRAY(r.instance_id, r.journey_key, r.version,
            DATE_FORMAT(r.started_at, '%Y-%m-%d %H:%i:%s.%f'),
            (SELECT a.variant FROM experiment_assignment a WHERE a.instance_id = r.instance_id
             ORDER BY a.assigned_at, a.experiment_key LIMIT 1),
            """ + SentTouches.column("r.instance_id", profileIds) + """
            ))
          FROM journey_run r LEFT JOIN journey_conversion c ON c.instance_id = r.instance_id
          WHERE\s""" + profileCondition + " AND r.journey_key IN (" + keys + ") AND c.instance_id IS NULL AND r.test = 0), '[]')";
  }

  private void convert(Occurred event) {
    List<JourneyGoals.Goal> candidates = goals.ofEventType(event.type());
    Instant at = event.occurredAt() == null ? Instant.now() : event.occurredAt();
    List<String> profileIds = event.profileIds();
    String read = event.readAlong().get(READ_ALONG);
    if (read == null) {
      read = jdbc.sql("SELECT " + runs("r.profile_id IN (:profiles)", "(:profiles)", ":keys"))
          .param("profiles", profileIds)
          .param("keys", candidates.stream().map(JourneyGoals.Goal::journeyKey).distinct().toList())
          .query(String.class).single();
    }
    List<Run> converted = new ArrayList<>();
    for (Run run : runs(read)) {
      Optional<JourneyGoals.Goal> goal = candidates.stream()
          .filter(g -> g.journeyKey().equals(run.journeyKey()) && g.version() == run.version()).findFirst();
      if (goal.isPresent() && !run.startedAt().isAfter(at) && !at.isAfter(run.startedAt().plus(goal.get().window()))
          && goal.get().metBy(event.properties())) {
        converted.add(run);
      }
    }
    BigDecimal revenue = revenue(event.properties());
    for (Run run : converted) {
      List<SentTouches.Touch> touches = run.touches().stream().filter(t -> !t.sentAt().isAfter(at)).toList();
      SentTouches.Touch last = touches.isEmpty() ? null : touches.get(touches.size() - 1);
      int inserted = jdbc.sql("""
              INSERT IGNORE INTO journey_conversion (instance_id, journey_key, version, profile_id, event_id, converted_at, revenue,
                last_touch_element, last_touch_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
          .params(run.instanceId(), run.journeyKey(), run.version(), event.profileId(), event.eventId(), Utc.of(at), revenue,
              last == null ? null : last.activityId(), last == null ? null : last.messageId())
          .update();
      if (inserted == 0) {
        continue;
      }
      Set<String> elements = new LinkedHashSet<>();
      touches.stream().map(SentTouches.Touch::activityId).filter(a -> a != null).forEach(elements::add);
      for (String element : elements) {
        jdbc.sql("INSERT IGNORE INTO journey_conversion_touch (instance_id, element_id) VALUES (?, ?)")
            .params(run.instanceId(), element).update();
      }
      count(run);
    }
  }

  private List<Run> runs(String json) {
    try {
      return this.json.readValue(json, ROWS).stream().map(r -> new Run((String) r.get(0), (String) r.get(1),
          ((Number) r.get(2)).intValue(), Utc.instant(LocalDateTime.parse((String) r.get(3), DATETIME)),
          r.get(4) == null ? "none" : (String) r.get(4), SentTouches.read(r.get(5)))).toList();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("journey runs are not a JSON array", e);
    }
  }

  /** The event's {@code value} property when it is a number (or a string that reads as one), else null. */
  static BigDecimal revenue(Map<String, Object> properties) {
    Object value = properties == null ? null : properties.get("value");
    if (value instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    if (value instanceof String s) {
      try {
        return new BigDecimal(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** The conversions counter, tagged with journey and the instance's variant ("none" outside a split), once committed. */
  private void count(Run run) {
    String variant = run.variant();
    Counter counter = Counter.builder(METER).description("Journey instances that reached their goal within its window")
        .tag("journey", run.journeyKey()).tag("variant", variant).register(meters);
    dev.overture.platform.AfterCommit.run(counter::increment);
  }
}
