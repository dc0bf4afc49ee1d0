package dev.overture.event.internal;

import dev.overture.event.EventReactions;
import dev.overture.profile.ProfileAliases;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /**
   * A claimed row, for the correlator, with what it needs to know about its profile, read in the same
   * statement: the ids merged into the profile, {@code heldUntil}, set when the row must wait, and the reactions'
   * {@code readAlong} values by name ({@link #lockUnprocessed(List, int, Duration, List)}); {@code receivedAt} is when
   * ingestion accepted it (the reaction latency's start).
   */
  public record Row(long id, String eventId, String type, String profileId, Instant occurredAt, String properties,
      Instant receivedAt, List<String> aliases, Instant heldUntil, Map<String, String> readAlong) {}

  /** Locks the row if it still waits for correlation; the caller's transaction holds the lock. */
  public Optional<Row> lockUnprocessed(long id, int holdAttempts, Duration minimum, List<EventReactions.ReadAlong> readAlong) {
    return Optional.ofNullable(lockUnprocessed(List.of(id), holdAttempts, minimum, readAlong).get(id));
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

  /**
   * Locks the rows among {@code ids} that still wait for correlation, in one statement that also reads each
   * one's profile aliases and whether it must wait: a row waits while an earlier row of its profile, not
   * among {@code ids}, is still to be correlated and has failed fewer than {@code holdAttempts} times, until
   * that profile's next retry is due (at least {@code minimum} from now: a row that has not failed yet is on
   * its way through another partition). The reactions' {@code readAlong} columns are read with it. The subqueries
   * are plain reads; only the rows asked for are locked. Row id → row.
   */
  public Map<Long, Row> lockUnprocessed(List<Long> ids, int holdAttempts, Duration minimum,
      List<EventReactions.ReadAlong> readAlong) {
    Map<Long, Row> out = new HashMap<>();
    Instant soonest = Instant.now().plus(minimum);
    String waiting = "FROM customer_event w WHERE w.profile_id = e.profile_id AND w.processed_at IS NULL AND w.attempts < :hold"
        + " AND w.id NOT IN (:ids)";
    StringBuilder along = new StringBuilder();
    for (int i = 0; i < readAlong.size(); i++) {
      along.append(", ").append(readAlong.get(i).column()).append(" AS read_along_").append(i);
    }
    JdbcClient.StatementSpec statement = jdbc.sql("SELECT e.id, e.event_id, e.type, e.profile_id, e.occurred_at, e.properties, e.received_at, "
            + "EXISTS (SELECT 1 " + waiting + " AND w.id < e.id) AS held, "
            + "(SELECT MAX(CASE WHEN w.attempts > 0 THEN w.claimed_until END) " + waiting + ") AS retry_at, "
            + ProfileAliases.column("e.profile_id") + " AS aliases" + along
            + " FROM customer_event e WHERE e.id IN (:ids) AND e.processed_at IS NULL ORDER BY e.id FOR UPDATE")
        .param("ids", ids)
        .param("hold", holdAttempts);
    for (EventReactions.ReadAlong r : readAlong) {
      r.params().forEach(statement::param);
    }
    statement.query(rs -> {
          Instant heldUntil = null;
          if (holdAttempts > 0 && rs.getBoolean("held")) {
            Timestamp retryAt = rs.getTimestamp("retry_at");
            Instant after = retryAt == null ? soonest : retryAt.toInstant().plusMillis(1);
            heldUntil = after.isAfter(soonest) ? after : soonest;
          }
          Map<String, String> values = new HashMap<>();
          for (int i = 0; i < readAlong.size(); i++) {
            String value = rs.getString("read_along_" + i);
            if (value != null) {
              values.put(readAlong.get(i).name(), value);
            }
          }
          out.put(rs.getLong("id"), new Row(rs.getLong("id"), rs.getString("event_id"), rs.getString("type"),
              rs.getString("profile_id"), rs.getTimestamp("occurred_at").toInstant(), rs.getString("properties"),
              rs.getTimestamp("received_at").toInstant(), ProfileAliases.read(rs.getString("aliases")), heldUntil, values));
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
