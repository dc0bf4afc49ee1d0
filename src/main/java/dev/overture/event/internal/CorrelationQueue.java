package dev.overture.event.internal;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code customer_event} table as the durable correlation queue: a stored row waits until it is marked
 * {@code processed_at}; {@code claimed_until} is the lease of whoever correlates it (or the time a failed or
 * held-back row may be taken again), so a crash leaves the row to the retry poller instead of losing it.
 * {@link EventStore} puts the rows in, {@link EventCorrelator} takes them out.
 */
@Component
public class CorrelationQueue {

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final EventsProperties props;

  CorrelationQueue(JdbcClient jdbc, TransactionTemplate tx, EventsProperties props) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.props = props;
  }

  /** A claimed row, for the correlator; {@code receivedAt} is when ingestion accepted it (the reaction latency's start). */
  public record Row(long id, String eventId, String type, String profileId, Instant occurredAt, String properties,
      Instant receivedAt) {}

  /** Locks the row if it still waits for correlation; the caller's transaction holds the lock. */
  public Optional<Row> lockUnprocessed(long id) {
    return Optional.ofNullable(lockUnprocessed(List.of(id)).get(id));
  }

  /**
   * The rows among {@code rows} that must wait, each with the time the poller may take it again: a row
   * waits while an earlier row of its profile, not among {@code rows}, is still to be correlated and has
   * failed fewer than {@code holdAttempts} times. It waits until that row's retry is due (at least {@code
   * minimum} from now: a row that has not failed yet is on its way through another partition).
   */
  public Map<Long, Instant> heldBack(Collection<Row> rows, int holdAttempts, Duration minimum) {
    if (rows.isEmpty() || holdAttempts < 1) {
      return Map.of();
    }
    record Earlier(long firstId, Instant retryAt) {}
    Map<String, Earlier> earliest = new HashMap<>();
    jdbc.sql("""
            SELECT profile_id, MIN(id) AS first_id, MAX(CASE WHEN attempts > 0 THEN claimed_until END) AS retry_at
            FROM customer_event
            WHERE profile_id IN (:profiles) AND processed_at IS NULL AND attempts < :hold AND id NOT IN (:ids)
            GROUP BY profile_id""")
        .param("profiles", rows.stream().map(Row::profileId).collect(Collectors.toSet()))
        .param("hold", holdAttempts)
        .param("ids", rows.stream().map(Row::id).toList())
        .query(rs -> {
          Timestamp retryAt = rs.getTimestamp("retry_at");
          earliest.put(rs.getString("profile_id"), new Earlier(rs.getLong("first_id"), retryAt == null ? null : retryAt.toInstant()));
        });
    if (earliest.isEmpty()) {
      return Map.of();
    }
    Instant soonest = Instant.now().plus(minimum);
    Map<Long, Instant> held = new HashMap<>();
    for (Row row : rows) {
      Earlier e = earliest.get(row.profileId());
      if (e != null && e.firstId() < row.id()) {
        Instant after = e.retryAt() == null ? soonest : e.retryAt().plusMillis(1);
        held.put(row.id(), after.isAfter(soonest) ? after : soonest);
      }
    }
    return held;
  }

  /** The ids of the profile's rows before {@code rowId} that would hold it back ({@link #heldBack}), in order. */
  public List<Long> waitingBefore(String profileId, long rowId, int holdAttempts) {
    return jdbc.sql("""
            SELECT id FROM customer_event
            WHERE profile_id = ? AND processed_at IS NULL AND attempts < ? AND id < ? ORDER BY id""")
        .params(profileId, holdAttempts, rowId).query(Long.class).list();
  }

  /** Leaves the rows to the retry poller until the given times, without counting an attempt. */
  public void hold(Map<Long, Instant> until) {
    until.forEach((id, at) -> jdbc.sql("UPDATE customer_event SET claimed_until = ? WHERE id = ? AND processed_at IS NULL")
        .params(Timestamp.from(at), id).update());
  }

  /** {@link #lockUnprocessed(long)} for several rows in one query: row id → row, for those still waiting. */
  public Map<Long, Row> lockUnprocessed(List<Long> ids) {
    Map<Long, Row> out = new HashMap<>();
    jdbc.sql("SELECT id, event_id, type, profile_id, occurred_at, properties, received_at FROM customer_event WHERE id IN (:ids) AND processed_at IS NULL "
            + "ORDER BY id FOR UPDATE")
        .param("ids", ids)
        .query(rs -> {
          out.put(rs.getLong("id"), new Row(rs.getLong("id"), rs.getString("event_id"), rs.getString("type"),
              rs.getString("profile_id"), rs.getTimestamp("occurred_at").toInstant(), rs.getString("properties"),
              rs.getTimestamp("received_at").toInstant()));
        });
    return out;
  }

  /** {@link #markProcessed(long)} for several rows in one statement. */
  public void markProcessed(Collection<Long> ids) {
    if (!ids.isEmpty()) {
      jdbc.sql("UPDATE customer_event SET processed_at = :now, claimed_until = NULL, last_error = NULL WHERE id IN (:ids)")
          .param("now", Timestamp.from(Instant.now())).param("ids", ids).update();
    }
  }

  public void markProcessed(long id) {
    markProcessed(List.of(id));
  }

  /** Records a failed correlation; the retry poller tries again after the backoff. */
  public void markFailed(long id, String error, Duration backoff) {
    jdbc.sql("UPDATE customer_event SET attempts = attempts + 1, last_error = ?, claimed_until = ? WHERE id = ? AND processed_at IS NULL")
        .params(error == null ? null : error.length() > 1000 ? error.substring(0, 1000) : error,
            Timestamp.from(Instant.now().plus(backoff)), id)
        .update();
  }

  public int attempts(long id) {
    return jdbc.sql("SELECT attempts FROM customer_event WHERE id = ?").param(id).query(Integer.class).optional().orElse(0);
  }

  /** Claims up to {@code limit} rows whose correlation is due: never done, lease expired or backoff over. */
  public List<EventStore.Stored> claimDue(int limit) {
    return tx.execute(s -> {
      Timestamp now = Timestamp.from(Instant.now());
      List<EventStore.Stored> due = jdbc.sql("""
              SELECT id, event_id, profile_id FROM customer_event
              WHERE processed_at IS NULL AND (claimed_until IS NULL OR claimed_until < ?)
              ORDER BY processed_at, claimed_until LIMIT ? FOR UPDATE SKIP LOCKED""")
          .params(now, limit)
          .query((rs, n) -> new EventStore.Stored(rs.getLong("id"), rs.getString("event_id"), rs.getString("profile_id"), false, true))
          .list();
      if (!due.isEmpty()) {
        jdbc.sql("UPDATE customer_event SET claimed_until = :until WHERE id IN (:ids)")
            .param("until", Timestamp.from(now.toInstant().plus(props.correlation().lease())))
            .param("ids", due.stream().map(EventStore.Stored::rowId).toList())
            .update();
      }
      return due;
    });
  }
}
