package dev.overture.delivery.internal;

import dev.overture.delivery.Delivery;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox's rows in flight: claimed with {@code FOR UPDATE SKIP LOCKED} in a short transaction, so several
 * threads and nodes never take the same row; put back (deferred, retried) or finished. A claim expires, so a crash
 * between claim and outcome re-sends the row later under the same id.
 */
@Component
public class OutboxClaims {

  private static final Duration EXPIRED_SCAN_INTERVAL = Duration.ofSeconds(1);

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final MessageCounters counters;
  private final AtomicLong lastExpiredScan = new AtomicLong();

  OutboxClaims(JdbcClient jdbc, TransactionTemplate tx, MessageCounters counters) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.counters = counters;
  }

  /**
   * Records the final states of claimed rows in the caller's transaction: the rows still claimed
   * ({@code sending}) are locked, then updated with one statement, and the journey message counters move
   * for them. Returns the finals that took effect; a row that is no longer ours is left alone.
   */
  public List<FinalState> finishAll(List<FinalState> finals) {
    if (finals.isEmpty()) {
      return List.of();
    }
    Set<String> ours = new HashSet<>(jdbc.sql("SELECT id FROM outbox_message WHERE id IN (:ids) AND status = 'sending' FOR UPDATE")
        .param("ids", finals.stream().map(f -> f.delivery().id()).toList()).query(String.class).list());
    Set<String> once = new HashSet<>();
    List<FinalState> taken = finals.stream().filter(f -> ours.contains(f.delivery().id()) && once.add(f.delivery().id())).toList();
    if (taken.isEmpty()) {
      return taken;
    }
    // one statement for the batch: the final states as a derived table joined to the rows
    Timestamp now = Timestamp.from(Instant.now());
    List<Object> params = new java.util.ArrayList<>(taken.size() * 6 + 2);
    for (FinalState f : taken) {
      params.addAll(java.util.Arrays.asList(f.delivery().id(), f.status(), OutboxRows.truncate(f.reason()), f.recipient(), f.creativeVersion(),
          f.consentEntryId()));
    }
    params.add(now);
    params.add(now);
    String rows = "SELECT ? AS id, ? AS status, ? AS reason, ? AS recipient, CAST(? AS SIGNED) AS version, CAST(? AS SIGNED) AS consent"
        + " UNION ALL SELECT ?, ?, ?, ?, ?, ?".repeat(taken.size() - 1);
    jdbc.sql("UPDATE outbox_message o JOIN (" + rows + ") f ON f.id = o.id SET o.status = f.status, o.reason = f.reason, "
            + "o.recipient = f.recipient, o.creative_version = f.version, o.consent_entry_id = f.consent, o.claimed_until = NULL, "
            + "o.updated_at = ?, o.sent_at = CASE WHEN f.status = 'sent' THEN ? ELSE o.sent_at END")
        .params(params).update();
    counters.finished(taken);
    return taken;
  }

  /**
   * Claims up to {@code limit} due rows for {@code lease}; their attempt count goes up by one. Expired claims
   * (a node that died while sending) are looked for at most once per {@link #EXPIRED_SCAN_INTERVAL} on
   * this node: they are rare, and the scan of in-flight rows would otherwise run at every claim.
   */
  public List<Delivery> claimDue(int limit, Duration lease) {
    return tx.execute(s -> {
      Instant at = Instant.now();
      Timestamp now = Timestamp.from(at);
      // two range scans of (status, due_at) that stop at the limit (claims in flight are few); one query with
      // OR would sort every due row and lock each row it examines, at every claim. The rows come back whole,
      // so the claim needs no second read.
      List<Delivery> rows = new ArrayList<>(jdbc.sql("""
              SELECT * FROM outbox_message WHERE status = 'pending' AND due_at <= ?
              ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED""")
          .params(now, limit)
          .query(OutboxRows::map)
          .list());
      long last = lastExpiredScan.get();
      if (rows.size() < limit && at.toEpochMilli() - last >= EXPIRED_SCAN_INTERVAL.toMillis()
          && lastExpiredScan.compareAndSet(last, at.toEpochMilli())) {
        rows.addAll(jdbc.sql("""
                SELECT * FROM outbox_message WHERE status = 'sending' AND claimed_until < ?
                ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED""")
            .params(now, limit - rows.size())
            .query(OutboxRows::map)
            .list());
        rows.sort(Comparator.comparing(Delivery::dueAt));
      }
      if (rows.isEmpty()) {
        return List.of();
      }
      jdbc.sql("UPDATE outbox_message SET status = 'sending', claimed_until = :until, attempts = attempts + 1, "
              + "updated_at = :now WHERE id IN (:ids)")
          .param("until", Timestamp.from(at.plus(lease)))
          .param("now", now)
          .param("ids", rows.stream().map(Delivery::id).toList())
          .update();
      return rows.stream().map(OutboxRows::claimed).toList();
    });
  }

  /**
   * A sent message that the provider reports as hard-bounced later; false if it was not {@code sent}. Counted
   * for the journey stats in the caller's transaction, only by the call that changed the row.
   */
  public boolean markBounced(String id, String reason) {
    boolean bounced = jdbc.sql("UPDATE outbox_message SET status = 'bounced', reason = ?, updated_at = ? WHERE id = ? AND status = 'sent'")
        .params(OutboxRows.truncate(reason), Timestamp.from(Instant.now()), id).update() == 1;
    if (bounced) {
      counters.bounced(id);
    }
    return bounced;
  }

  /** Puts a claimed row back until {@code dueAt} without counting the claim as an attempt (quiet hours, rate limit). */
  public void defer(String id, Instant dueAt, String reason) {
    jdbc.sql("UPDATE outbox_message SET status = 'pending', reason = ?, due_at = ?, claimed_until = NULL, updated_at = ?, "
            + "attempts = GREATEST(attempts - 1, 0) WHERE id = ? AND status = 'sending'")
        .params(OutboxRows.truncate(reason), Timestamp.from(dueAt), Timestamp.from(Instant.now()), id)
        .update();
  }

  /** Fixes the channel a {@code preferred} row resolved to. */
  public void rechannel(String id, String channel) {
    jdbc.sql("UPDATE outbox_message SET channel = ?, updated_at = ? WHERE id = ? AND status = 'sending'")
        .params(channel, Timestamp.from(Instant.now()), id).update();
  }

  /** Puts a claimed row back to be tried again at {@code dueAt}. */
  public void retryAt(String id, Instant dueAt, String reason) {
    jdbc.sql("UPDATE outbox_message SET status = 'pending', reason = ?, due_at = ?, claimed_until = NULL, updated_at = ? "
            + "WHERE id = ? AND status = 'sending'")
        .params(OutboxRows.truncate(reason), Timestamp.from(dueAt), Timestamp.from(Instant.now()), id)
        .update();
  }
}
