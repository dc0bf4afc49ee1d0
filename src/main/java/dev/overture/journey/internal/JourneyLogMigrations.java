package dev.overture.journey.internal;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What a migration of running instances does to the journey log, in the migration's transaction: the instance's
 * {@code journey_run} row moves to the new version (remembering the old one), it counts as migrated out of the old
 * version and into the new one under the hour it entered, and so does each element it waits at (the old version's
 * source element, the new version's target). Steps after the migration count under the new version because every
 * event names the definition the instance is on now ({@link JourneyRunKeys#find}). Only migrations pay for this:
 * one read of the instance's row, and statements only when something moved.
 */
@Component
class JourneyLogMigrations {

  private final JdbcTemplate jdbc;
  private final JourneyRunKeys known;

  JourneyLogMigrations(JdbcTemplate jdbc, JourneyRunKeys known) {
    this.jdbc = jdbc;
    this.known = known;
  }

  /** The instance's keys before and after its migration. */
  record Move(RunKey from, RunKey to) {}

  /** What one transaction's migrations moved: per instance its move (null: nothing moved), and the counters. */
  static final class Moves {
    final Map<String, Move> byInstance = new HashMap<>();
    /** [migrated out, migrated in] per run key and per element, in primary-key order. */
    final TreeMap<RunKey, long[]> runs = new TreeMap<>();
    final TreeMap<ElementKey, long[]> elements = new TreeMap<>();

    boolean isEmpty() {
      return runs.isEmpty() && elements.isEmpty() && byInstance.values().stream().allMatch(m -> m == null);
    }

    void clear() {
      byInstance.clear();
      runs.clear();
      elements.clear();
    }
  }

  /** The process instance now runs on {@code targetDefinitionId}. */
  void instanceMoved(Moves moves, String instanceId, String targetDefinitionId) {
    Move move = move(moves, instanceId, targetDefinitionId);
    if (move != null && !move.to().test()) {
      moves.runs.computeIfAbsent(move.from(), k -> new long[2])[0]++;
      moves.runs.computeIfAbsent(move.to(), k -> new long[2])[1]++;
    }
  }

  /** One of its activity instances (a wait, a subprocess) moved from the source element to the target. */
  void activityMoved(Moves moves, MigratedActivity activity) {
    Move move = move(moves, activity.getProcessInstanceId(), activity.getProcessDefinitionId());
    if (move != null && !move.to().test()) {
      moves.elements.computeIfAbsent(new ElementKey(move.from(), activity.sourceActivityId()), k -> new long[2])[0]++;
      moves.elements.computeIfAbsent(new ElementKey(move.to(), activity.getActivityId()), k -> new long[2])[1]++;
    }
  }

  private Move move(Moves moves, String instanceId, String targetDefinitionId) {
    if (moves.byInstance.containsKey(instanceId)) {
      return moves.byInstance.get(instanceId);
    }
    JourneyProcesses.Info target = JourneyProcesses.of(targetDefinitionId);
    record Row(int version, LocalDateTime startedAt, boolean test) {}
    // the row, not this node's memory: another node may have moved the instance before
    List<Row> rows = target == null ? List.of() : jdbc.query("SELECT version, started_at, test FROM journey_run WHERE instance_id = ?",
        (rs, n) -> new Row(rs.getInt(1), rs.getObject(2, LocalDateTime.class), rs.getBoolean(3)), instanceId);
    Move move = null;
    if (!rows.isEmpty() && rows.get(0).version() != target.version()) {
      Row row = rows.get(0);
      LocalDateTime hour = row.startedAt().truncatedTo(ChronoUnit.HOURS);
      move = new Move(new RunKey(target.key(), row.version(), hour, row.test()), new RunKey(target.key(), target.version(), hour, row.test()));
    }
    moves.byInstance.put(instanceId, move);
    return move;
  }

  /** Writes the moves, after the transaction's other journey log writes, and tells this node's memory. */
  void write(Moves moves) {
    List<Object[]> rows = new ArrayList<>();
    moves.byInstance.forEach((instanceId, move) -> {
      if (move != null) {
        rows.add(new Object[] {move.to().version(), move.from().version(), instanceId});
      }
    });
    if (!rows.isEmpty()) {
      jdbc.batchUpdate("UPDATE journey_run SET version = ?, migrated_from = ? WHERE instance_id = ?", rows);
    }
    int shard = ThreadLocalRandom.current().nextInt(JourneyLogWriter.SHARDS);
    if (!moves.runs.isEmpty()) {
      List<Object> args = new ArrayList<>();
      moves.runs.forEach((key, n) -> args.addAll(List.of(key.journeyKey(), key.version(), key.hour(), shard, n[0], n[1])));
      jdbc.update("INSERT INTO journey_count (journey_key, version, entered_hour, shard, migrated_out, migrated_in) VALUES "
          + String.join(", ", Collections.nCopies(moves.runs.size(), "(?, ?, ?, ?, ?, ?)"))
          + " ON DUPLICATE KEY UPDATE migrated_out = migrated_out + VALUES(migrated_out), migrated_in = migrated_in + VALUES(migrated_in)",
          args.toArray());
    }
    if (!moves.elements.isEmpty()) {
      List<Object> args = new ArrayList<>();
      moves.elements.forEach((key, n) -> args.addAll(List.of(key.run().journeyKey(), key.run().version(), key.elementId(),
          key.run().hour(), shard, n[0], n[1])));
      jdbc.update("INSERT INTO journey_element_count (journey_key, version, element_id, entered_hour, shard, migrated_out, "
          + "migrated_in) VALUES " + String.join(", ", Collections.nCopies(moves.elements.size(), "(?, ?, ?, ?, ?, ?, ?)"))
          + " ON DUPLICATE KEY UPDATE migrated_out = migrated_out + VALUES(migrated_out), migrated_in = migrated_in + VALUES(migrated_in)",
          args.toArray());
    }
    moves.byInstance.forEach((instanceId, move) -> {
      if (move != null) {
        known.remember(instanceId, move.to());
      }
    });
    moves.clear();
  }
}
