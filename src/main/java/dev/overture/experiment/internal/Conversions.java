package dev.overture.experiment.internal;

import dev.overture.delivery.Deliveries;
import dev.overture.delivery.Delivery;
import dev.overture.event.EventReactions;
import dev.overture.journey.JourneyGoals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
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
  private final Deliveries deliveries;
  private final JdbcClient jdbc;
  private final MeterRegistry meters;

  Conversions(JourneyGoals goals, Deliveries deliveries, JdbcClient jdbc, MeterRegistry meters) {
    this.goals = goals;
    this.deliveries = deliveries;
    this.jdbc = jdbc;
    this.meters = meters;
  }

  /** An instance of a journey the profile entered; {@code variant}: its first experiment arm, "none" outside a split. */
  private record Run(String instanceId, String journeyKey, int version, Instant startedAt, String variant) {}

  @Override
  public boolean anyReactsTo(String eventType) {
    return goals.anyGoalIs(eventType);
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

  private void convert(Occurred event) {
    List<JourneyGoals.Goal> candidates = goals.ofEventType(event.type());
    Instant at = event.occurredAt() == null ? Instant.now() : event.occurredAt();
    List<String> profileIds = event.profileIds();
    List<Run> runs = jdbc.sql("""
            SELECT r.instance_id, r.journey_key, r.version, r.started_at,
              (SELECT a.variant FROM experiment_assignment a WHERE a.instance_id = r.instance_id
               ORDER BY a.assigned_at, a.experiment_key LIMIT 1) AS variant
            FROM journey_run r
            LEFT JOIN journey_conversion c ON c.instance_id = r.instance_id
            WHERE r.profile_id IN (:profiles) AND r.journey_key IN (:keys) AND r.started_at <= :at AND c.instance_id IS NULL
              AND r.test = 0""")
        .param("profiles", profileIds)
        .param("keys", candidates.stream().map(JourneyGoals.Goal::journeyKey).distinct().toList())
        .param("at", Utc.of(at))
        .query((rs, n) -> new Run(rs.getString(1), rs.getString(2), rs.getInt(3), Utc.instant(rs.getObject(4, LocalDateTime.class)),
            rs.getString(5) == null ? "none" : rs.getString(5)))
        .list();
    List<Run> converted = new ArrayList<>();
    for (Run run : runs) {
      Optional<JourneyGoals.Goal> goal = candidates.stream()
          .filter(g -> g.journeyKey().equals(run.journeyKey()) && g.version() == run.version()).findFirst();
      if (goal.isPresent() && !at.isAfter(run.startedAt().plus(goal.get().window())) && goal.get().metBy(event.properties())) {
        converted.add(run);
      }
    }
    if (converted.isEmpty()) {
      return;
    }
    List<Delivery> sent = deliveries.sentFrom(profileIds, converted.stream().map(Run::instanceId).toList());
    BigDecimal revenue = revenue(event.properties());
    for (Run run : converted) {
      List<Delivery> touches = sent.stream()
          .filter(d -> run.instanceId().equals(d.processInstanceId()) && !d.sentAt().isAfter(at)).toList();
      Delivery last = touches.isEmpty() ? null : touches.get(touches.size() - 1);
      int inserted = jdbc.sql("""
              INSERT IGNORE INTO journey_conversion (instance_id, journey_key, version, profile_id, event_id, converted_at, revenue,
                last_touch_element, last_touch_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
          .params(run.instanceId(), run.journeyKey(), run.version(), event.profileId(), event.eventId(), Utc.of(at), revenue,
              last == null ? null : last.activityId(), last == null ? null : last.id())
          .update();
      if (inserted == 0) {
        continue;
      }
      Set<String> elements = new LinkedHashSet<>();
      touches.stream().map(Delivery::activityId).filter(a -> a != null).forEach(elements::add);
      for (String element : elements) {
        jdbc.sql("INSERT IGNORE INTO journey_conversion_touch (instance_id, element_id) VALUES (?, ?)")
            .params(run.instanceId(), element).update();
      }
      count(run);
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
