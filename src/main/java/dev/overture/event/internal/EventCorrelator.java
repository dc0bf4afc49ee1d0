package dev.overture.event.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.event.EventReactions;
import dev.overture.platform.Backoff;
import dev.overture.profile.ProfileReadScope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Correlates one stored event in one transaction with the engine: the row is locked, the
 * {@link EventReactions} (journeys, conversions) react, the row is marked processed; a failure rolls all of it
 * back and schedules a retry with backoff. So an event correlates exactly once, however often it is
 * handed over, and after the earlier events of its profile.
 */
@Component
public class EventCorrelator {

  private static final Logger log = LoggerFactory.getLogger(EventCorrelator.class);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final CorrelationQueue queue;
  private final AllReactions reactions;
  private final TransactionTemplate tx;
  private final ObjectMapper json;
  private final EventsProperties props;
  private final ReactionLatency latency;

  EventCorrelator(CorrelationQueue queue, AllReactions reactions, TransactionTemplate tx, ObjectMapper json, EventsProperties props,
      ReactionLatency latency) {
    this.queue = queue;
    this.latency = latency;
    this.reactions = reactions;
    this.tx = tx;
    this.json = json;
    this.props = props;
  }

  /**
   * Correlates the row unless already done or held back behind an earlier event of its profile; returns
   * the reaction, empty if there was nothing to do, it waits, or it failed.
   */
  public Optional<EventReactions.Reaction> correlate(long rowId) {
    try {
      EventsProperties.Correlation c = props.correlation();
      List<CorrelationQueue.Row> locked = new ArrayList<>(1);
      Optional<EventReactions.Reaction> done = tx.execute(s -> queue.lockUnprocessed(rowId, c.holdAttempts(), c.retryPollInterval(),
              reactions.readAlong())
          .filter(row -> holdBack(List.of(row)).isEmpty()).map(row -> {
            List<EventReactions.Occurred> events = occurred(List.of(row));
            EventReactions.Reaction reaction = CorrelatedEvents.during(events, () -> reactTogether(events)).get(0);
            queue.markProcessed(rowId);
            log.debug("Event {} ({}) correlated to {} and started {} journey(s)", row.eventId(), row.type(), reaction.correlated(),
                reaction.started());
            locked.add(row);
            return reaction;
          }));
      done.ifPresent(reaction -> latency.committed(locked, List.of(reaction)));
      return done;
    } catch (RuntimeException e) {
      Duration backoff = new Backoff(props.correlation().retryBase(), props.correlation().retryMax()).next(queue.attempts(rowId) + 1);
      log.warn("Correlating event row {} failed, retrying in {}: {}", rowId, backoff, e.toString());
      queue.markFailed(rowId, e.toString(), backoff);
      return Optional.empty();
    }
  }

  /**
   * {@link #correlate} for a caller that waits for the reaction: the earlier events of the profile that
   * are still to be correlated go first, here, so this one is not held back behind them.
   */
  public Optional<EventReactions.Reaction> correlateNow(EventStore.Stored stored) {
    queue.waitingBefore(stored.profileId(), stored.rowId(), props.correlation().holdAttempts()).forEach(this::correlate);
    return correlate(stored.rowId());
  }

  /**
   * Correlates several rows, in this order, in one transaction: a busy partition shares one commit
   * among them. If anything fails the transaction rolls back and each row is correlated on its own,
   * so one bad event neither blocks the others nor loses its retry.
   */
  public void correlateAll(List<Long> rowIds) {
    if (rowIds.size() == 1) {
      correlate(rowIds.get(0));
      return;
    }
    List<CorrelationQueue.Row> correlated = new ArrayList<>();
    List<EventReactions.Reaction> reacted = new ArrayList<>();
    try {
      tx.executeWithoutResult(s -> {
        EventsProperties.Correlation c = props.correlation();
        Map<Long, CorrelationQueue.Row> rows = queue.lockUnprocessed(rowIds, c.holdAttempts(), c.retryPollInterval(),
            reactions.readAlong());
        Set<Long> held = holdBack(rows.values());
        List<Long> locked = rowIds.stream().distinct().filter(id -> rows.containsKey(id) && !held.contains(id)).toList();
        List<CorrelationQueue.Row> lockedRows = locked.stream().map(rows::get).toList();
        List<EventReactions.Occurred> events = occurred(lockedRows);
        if (!events.isEmpty()) {
          reacted.addAll(CorrelatedEvents.during(events, () -> reactTogether(events)));
          queue.markProcessed(locked);
          correlated.addAll(lockedRows);
        }
      });
      latency.committed(correlated, reacted);
    } catch (RuntimeException e) {
      log.debug("Correlating {} events together failed ({}); one by one", rowIds.size(), e.toString());
      rowIds.forEach(this::correlate);
    }
  }

  /** The reactions, with the profiles of the events read together where their steps render messages. */
  private List<EventReactions.Reaction> reactTogether(List<EventReactions.Occurred> events) {
    return ProfileReadScope.together(events.stream().flatMap(e -> e.profileIds().stream()).toList(), () -> reactions.react(events));
  }

  /**
   * Holds back the rows that an earlier event of their profile must precede (one that failed and waits for
   * its retry, or one queued on another partition before a merge moved it to this profile): an order
   * completed must not correlate before the cart abandoned that it answers. Returns their ids.
   */
  private Set<Long> holdBack(Collection<CorrelationQueue.Row> rows) {
    Map<Long, Instant> held = new HashMap<>();
    rows.stream().filter(r -> r.heldUntil() != null).forEach(r -> held.put(r.id(), r.heldUntil()));
    if (!held.isEmpty()) {
      log.debug("Event rows {} wait for earlier events of their profiles", held.keySet());
      queue.hold(held);
    }
    return held.keySet();
  }

  /**
   * The rows as the reactions see them, each with its profile's merged-away ids, and what was read along with the
   * lock where it still holds: for the first event of a profile without merged ids (the read-along columns read by
   * the one id, and a later event's reactions must see what the earlier ones changed).
   */
  private List<EventReactions.Occurred> occurred(Collection<CorrelationQueue.Row> rows) {
    List<EventReactions.Occurred> out = new ArrayList<>(rows.size());
    Set<String> seen = new HashSet<>();
    for (CorrelationQueue.Row row : rows) {
      List<String> ids = new ArrayList<>();
      ids.add(row.profileId());
      ids.addAll(row.aliases());
      boolean first = seen.add(row.profileId());
      out.add(new EventReactions.Occurred(row.eventId(), row.type(), row.profileId(), List.copyOf(ids), row.occurredAt(),
          read(row.properties()), first && row.aliases().isEmpty() ? row.readAlong() : Map.of()));
    }
    return out;
  }

  private Map<String, Object> read(String properties) {
    try {
      return json.readValue(properties, MAP);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("stored properties are not JSON", e);
    }
  }
}
