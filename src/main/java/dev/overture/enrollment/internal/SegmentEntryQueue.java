package dev.overture.enrollment.internal;

import dev.overture.event.EventReactions;
import dev.overture.journey.Journeys;
import dev.overture.platform.AfterCommit;
import dev.overture.profile.ProfileChanged;
import dev.overture.profile.ProfileErased;
import dev.overture.profile.ProfilesMerged;
import dev.overture.segment.Segments;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Marks profiles whose entry segments must be evaluated again: in the transaction of the change itself (an upsert,
 * an Update profile step, a consent statement, the correlation of an event that a segment reads), so that a commit
 * leaves the mark and a rollback leaves none. {@link SegmentEntryWorker} evaluates and clears the marks. While no
 * live journey enters on a segment this asks nothing of the database: the journeys' answer comes from memory.
 */
@Component
@Order(100)
class SegmentEntryQueue implements EventReactions {

  /** How long the event types a segment reads are remembered: a new segment version is seen within this time. */
  private static final long TYPES_TTL_NANOS = 5_000_000_000L;

  private final JdbcClient jdbc;
  private final Journeys journeys;
  private final Segments segments;
  private final SegmentEntryWorker worker;
  private final Map<String, Types> typesBySegment = new ConcurrentHashMap<>();

  private record Types(Set<String> types, long readAt) {}

  // lazy: segments read events, whose correlator calls every reaction, this one included
  SegmentEntryQueue(JdbcClient jdbc, Journeys journeys, @Lazy Segments segments, @Lazy SegmentEntryWorker worker) {
    this.jdbc = jdbc;
    this.journeys = journeys;
    this.segments = segments;
    this.worker = worker;
  }

  @EventListener
  void onChange(ProfileChanged changed) {
    if (!journeys.liveSegmentEntries().isEmpty()) {
      queue(List.of(changed.profileId()));
    }
  }

  /** A merge folds the merged profile's memberships into the survivor's and evaluates the survivor again. */
  @EventListener
  void onMerge(ProfilesMerged merged) {
    if (journeys.liveSegmentEntries().isEmpty()) {
      return;
    }
    jdbc.sql("UPDATE IGNORE segment_membership SET profile_id = ? WHERE profile_id = ?")
        .params(merged.survivorId(), merged.mergedId()).update();
    jdbc.sql("DELETE FROM segment_membership WHERE profile_id = ?").param(merged.mergedId()).update();
    queue(List.of(merged.survivorId()));
  }

  /** An erased profile keeps no membership and no mark, whether or not a journey enters on a segment now. */
  @EventListener
  void onErasure(ProfileErased erased) {
    jdbc.sql("DELETE FROM segment_membership WHERE profile_id = ?").param(erased.profileId()).update();
    jdbc.sql("DELETE FROM segment_entry_pending WHERE profile_id = ?").param(erased.profileId()).update();
  }

  /** Whether a live journey's entry segment reads events of this type. */
  @Override
  public boolean anyReactsTo(String eventType) {
    Map<String, List<String>> entries = journeys.liveSegmentEntries();
    if (entries.isEmpty()) {
      return false;
    }
    for (String segment : entries.keySet()) {
      if (typesOf(segment).contains(eventType)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public List<Reaction> react(List<Occurred> events) {
    Map<String, List<String>> entries = journeys.liveSegmentEntries();
    if (!entries.isEmpty()) {
      Set<String> profiles = new LinkedHashSet<>();
      for (Occurred e : events) {
        if (entries.keySet().stream().anyMatch(segment -> typesOf(segment).contains(e.type()))) {
          profiles.add(e.profileId());
        }
      }
      if (!profiles.isEmpty()) {
        queue(profiles);
      }
    }
    return Collections.nCopies(events.size(), new Reaction(0, 0));
  }

  /** Marks the profiles in the caller's transaction (one statement) and wakes the worker once it commits. */
  void queue(Collection<String> profileIds) {
    Timestamp now = Timestamp.from(java.time.Instant.now());
    List<Object> params = new ArrayList<>(profileIds.size() * 3);
    for (String id : profileIds) {
      params.add(id);
      params.add(now);
      params.add(now);
    }
    // a mark left by an earlier change (waiting, or backing off after a failure) is due again now
    jdbc.sql("INSERT INTO segment_entry_pending (profile_id, queued_at, due_at) VALUES "
            + String.join(", ", Collections.nCopies(profileIds.size(), "(?, ?, ?)"))
            + " ON DUPLICATE KEY UPDATE due_at = LEAST(due_at, VALUES(due_at))")
        .params(params).update();
    AfterCommit.run(worker::wake);
  }

  private Set<String> typesOf(String segment) {
    long now = System.nanoTime();
    Types known = typesBySegment.get(segment);
    if (known == null || now - known.readAt() > TYPES_TTL_NANOS) {
      known = new Types(segments.eventTypes(segment), now);
      typesBySegment.put(segment, known);
    }
    return known.types();
  }
}
