package dev.overture.journey.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes what one transaction's {@link JourneyLog} gathered: the new {@code journey_run} rows in one multi-row
 * insert, the ended ones in one batch, the erased ones gone, and the counters added to one shard row each, in
 * primary-key order, so concurrent transactions never lock two counter rows in opposite order.
 */
@Component
class JourneyLogWriter {

  /**
   * Counter rows per journey, version and hour; a transaction adds to one, picked at random. Four, not 16:
   * the stats read every shard row (16 made a 30-day journey 127k element rows, 637 ms; 4 make it 188 ms,
   * docs/performance.md), and counters are written just before commit, so chunks that meet wait briefly.
   */
  static final int SHARDS = 4;
  private static final int ROWS_PER_STATEMENT = 500;

  private final JdbcTemplate jdbc;

  JourneyLogWriter(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** The counters come sorted by their primary key (the maps' order). */
  void write(Collection<LoggedRun> started, Collection<LoggedRun> ended, Set<String> erased,
      SortedMap<RunKey, long[]> runCounts, SortedMap<ElementKey, long[]> elementCounts) {
    List<LoggedRun> inserts = started.stream().filter(r -> !erased.contains(r.instanceId)).toList();
    for (List<LoggedRun> part : parts(inserts)) {
      List<Object> args = new ArrayList<>(part.size() * 9);
      for (LoggedRun r : part) {
        args.addAll(java.util.Arrays.asList(r.instanceId, r.key.journeyKey(), r.key.version(), r.profileId, r.startedAt,
            r.endedAt, r.endReason, r.endElementId, r.key.test()));
      }
      // IGNORE: an instance adopted by two transactions at once gets one row
      jdbc.update("INSERT IGNORE INTO journey_run (instance_id, journey_key, version, profile_id, started_at, ended_at, end_reason, "
          + "end_element_id, test) VALUES " + String.join(", ", Collections.nCopies(part.size(), "(?, ?, ?, ?, ?, ?, ?, ?, ?)")),
          args.toArray());
    }
    List<Object[]> updates = ended.stream().filter(r -> !erased.contains(r.instanceId))
        .map(r -> new Object[] {r.endedAt, r.endReason, r.endElementId, r.instanceId}).toList();
    if (!updates.isEmpty()) {
      jdbc.batchUpdate("UPDATE journey_run SET ended_at = ?, end_reason = ?, end_element_id = ? WHERE instance_id = ?", updates);
    }
    if (!erased.isEmpty()) {
      List<String> ids = List.copyOf(erased);
      jdbc.update("DELETE FROM journey_run WHERE instance_id IN (" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")",
          ids.toArray());
    }
    int shard = ThreadLocalRandom.current().nextInt(SHARDS);
    for (List<Map.Entry<RunKey, long[]>> part : parts(List.copyOf(runCounts.entrySet()))) {
      List<Object> args = new ArrayList<>();
      for (Map.Entry<RunKey, long[]> e : part) {
        args.addAll(List.of(e.getKey().journeyKey(), e.getKey().version(), e.getKey().hour(), shard));
        for (long n : e.getValue()) {
          args.add(n);
        }
      }
      jdbc.update("INSERT INTO journey_count (journey_key, version, entered_hour, shard, entered, completed, goal_reached, "
          + "exited_by_event, exited_by_api, cancelled, erased) VALUES "
          + String.join(", ", Collections.nCopies(part.size(), "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
          + " ON DUPLICATE KEY UPDATE entered = entered + VALUES(entered), completed = completed + VALUES(completed), "
          + "goal_reached = goal_reached + VALUES(goal_reached), exited_by_event = exited_by_event + VALUES(exited_by_event), "
          + "exited_by_api = exited_by_api + VALUES(exited_by_api), cancelled = cancelled + VALUES(cancelled), "
          + "erased = erased + VALUES(erased)", args.toArray());
    }
    for (List<Map.Entry<ElementKey, long[]>> part : parts(List.copyOf(elementCounts.entrySet()))) {
      List<Object> args = new ArrayList<>();
      for (Map.Entry<ElementKey, long[]> e : part) {
        RunKey run = e.getKey().run();
        args.addAll(List.of(run.journeyKey(), run.version(), e.getKey().elementId(), run.hour(), shard,
            e.getValue()[0], e.getValue()[1], e.getValue()[2]));
      }
      jdbc.update("INSERT INTO journey_element_count (journey_key, version, element_id, entered_hour, shard, entered, completed, "
          + "cancelled) VALUES " + String.join(", ", Collections.nCopies(part.size(), "(?, ?, ?, ?, ?, ?, ?, ?)"))
          + " ON DUPLICATE KEY UPDATE entered = entered + VALUES(entered), completed = completed + VALUES(completed), "
          + "cancelled = cancelled + VALUES(cancelled)", args.toArray());
    }
  }

  private static <T> List<List<T>> parts(List<T> all) {
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += ROWS_PER_STATEMENT) {
      out.add(all.subList(i, Math.min(all.size(), i + ROWS_PER_STATEMENT)));
    }
    return out;
  }
}
