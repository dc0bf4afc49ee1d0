package dev.overture.delivery.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.consent.Purpose;
import dev.overture.delivery.Delivery;
import dev.overture.delivery.MessageContext;
import dev.overture.delivery.Origin;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox table. Rows are claimed with {@code FOR UPDATE SKIP LOCKED} in a short transaction,
 * so several threads and nodes never take the same row; a claim expires, so a crash between claim
 * and outcome re-sends the row later under the same id.
 */
@Component
public class Outbox {

  private final JdbcClient jdbc;
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Duration EXPIRED_SCAN_INTERVAL = Duration.ofSeconds(1);

  private final TransactionTemplate tx;
  private final AtomicLong lastExpiredScan = new AtomicLong();
  private final MessageCounters counters;

  Outbox(JdbcClient jdbc, TransactionTemplate tx, MessageCounters counters) {
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
      params.addAll(java.util.Arrays.asList(f.delivery().id(), f.status(), truncate(f.reason()), f.recipient(), f.creativeVersion(),
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

  public String insert(String profileId, String channel, Purpose purpose, String creativeKey, Origin origin,
      Map<String, Object> params) {
    return insert(profileId, channel, purpose, creativeKey, origin, params, null);
  }

  /** Queues a row; {@code context} (may be null) is what it will be rendered from. */
  public String insert(String profileId, String channel, Purpose purpose, String creativeKey, Origin origin,
      Map<String, Object> params, MessageContext context) {
    String id = UUID.randomUUID().toString();
    Timestamp now = Timestamp.from(Instant.now());
    jdbc.sql("""
            INSERT INTO outbox_message (id, profile_id, channel, purpose, creative_key, journey_key, process_instance_id,
                activity_id, status, attempts, due_at, created_at, updated_at, params, context)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?)""")
        .params(id, profileId, channel, purpose.key(), creativeKey, origin.journeyKey(), origin.processInstanceId(),
            origin.activityId(), now, now, now, params == null ? null : write(params), context == null ? null : writeContext(context))
        .update();
    return id;
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
          .query(Outbox::map)
          .list());
      long last = lastExpiredScan.get();
      if (rows.size() < limit && at.toEpochMilli() - last >= EXPIRED_SCAN_INTERVAL.toMillis()
          && lastExpiredScan.compareAndSet(last, at.toEpochMilli())) {
        rows.addAll(jdbc.sql("""
                SELECT * FROM outbox_message WHERE status = 'sending' AND claimed_until < ?
                ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED""")
            .params(now, limit - rows.size())
            .query(Outbox::map)
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
      return rows.stream().map(Outbox::claimed).toList();
    });
  }

  /**
   * A sent message that the provider reports as hard-bounced later; false if it was not {@code sent}. Counted
   * for the journey stats in the caller's transaction, only by the call that changed the row.
   */
  public boolean markBounced(String id, String reason) {
    boolean bounced = jdbc.sql("UPDATE outbox_message SET status = 'bounced', reason = ?, updated_at = ? WHERE id = ? AND status = 'sent'")
        .params(truncate(reason), Timestamp.from(Instant.now()), id).update() == 1;
    if (bounced) {
      counters.bounced(id);
    }
    return bounced;
  }

  /** Puts a claimed row back until {@code dueAt} without counting the claim as an attempt (quiet hours, rate limit). */
  public void defer(String id, Instant dueAt, String reason) {
    jdbc.sql("UPDATE outbox_message SET status = 'pending', reason = ?, due_at = ?, claimed_until = NULL, updated_at = ?, "
            + "attempts = GREATEST(attempts - 1, 0) WHERE id = ? AND status = 'sending'")
        .params(truncate(reason), Timestamp.from(dueAt), Timestamp.from(Instant.now()), id)
        .update();
  }

  /** Fixes the channel a {@code preferred} row resolved to. */
  public void rechannel(String id, String channel) {
    jdbc.sql("UPDATE outbox_message SET channel = ?, updated_at = ? WHERE id = ? AND status = 'sending'")
        .params(channel, Timestamp.from(Instant.now()), id).update();
  }

  /**
   * Erasure: pending and in-flight rows of the profile are cancelled, and every row loses its
   * recipient, reason, parameters and rendering context; frequency-cap slots go. The rows stay for delivery counts.
   */
  public int erase(String profileId) {
    jdbc.sql("DELETE FROM frequency_slot WHERE profile_id = ?").param(profileId).update();
    // with the lock rows of the ids merged into it, which point at it
    jdbc.sql("DELETE FROM frequency_lock WHERE profile_id = ? OR merged_into = ?").params(profileId, profileId).update();
    return jdbc.sql("""
            UPDATE outbox_message SET
                reason = CASE WHEN status IN ('pending', 'sending') THEN 'cancelled: profile erased'
                              WHEN reason IS NULL THEN NULL ELSE 'erased' END,
                status = CASE WHEN status IN ('pending', 'sending') THEN 'suppressed' ELSE status END,
                recipient = NULL, params = NULL, context = NULL, claimed_until = NULL, updated_at = ?
            WHERE profile_id = ?""")
        .params(Timestamp.from(Instant.now()), profileId)
        .update();
  }

  /** Puts a claimed row back to be tried again at {@code dueAt}. */
  public void retryAt(String id, Instant dueAt, String reason) {
    jdbc.sql("UPDATE outbox_message SET status = 'pending', reason = ?, due_at = ?, claimed_until = NULL, updated_at = ? "
            + "WHERE id = ? AND status = 'sending'")
        .params(truncate(reason), Timestamp.from(dueAt), Timestamp.from(Instant.now()), id)
        .update();
  }

  public int reassign(String fromProfileId, String toProfileId) {
    return jdbc.sql("UPDATE outbox_message SET profile_id = ? WHERE profile_id = ?").params(toProfileId, fromProfileId).update();
  }

  public Optional<Delivery> find(String id) {
    return jdbc.sql("SELECT * FROM outbox_message WHERE id = ?").param(id).query(Outbox::map).optional();
  }

  public List<Delivery> ofProfile(String profileId) {
    return jdbc.sql("SELECT * FROM outbox_message WHERE profile_id = ? ORDER BY created_at, id")
        .param(profileId).query(Outbox::map).list();
  }

  /**
   * The messages sent to these profiles from these journey instances (sent_at set), oldest first; read through the
   * profile index, which every such query narrows to a handful of rows.
   */
  public List<Delivery> sentFrom(java.util.Collection<String> profileIds, java.util.Collection<String> instanceIds) {
    if (profileIds.isEmpty() || instanceIds.isEmpty()) {
      return List.of();
    }
    return jdbc.sql("SELECT * FROM outbox_message WHERE profile_id IN (:profiles) AND process_instance_id IN (:instances) "
            + "AND sent_at IS NOT NULL ORDER BY sent_at, id")
        .param("profiles", new HashSet<>(profileIds)).param("instances", new HashSet<>(instanceIds))
        .query(Outbox::map).list();
  }

  /** A row as the claim left it: sending, one attempt more. */
  private static Delivery claimed(Delivery d) {
    return new Delivery(d.id(), d.profileId(), d.channel(), d.purpose(), d.creativeKey(), d.creativeVersion(), d.journeyKey(),
        d.processInstanceId(), d.activityId(), Delivery.SENDING, d.reason(), d.recipient(), d.attempts() + 1, d.createdAt(),
        d.dueAt(), d.sentAt(), d.params(), d.context());
  }

  private static String truncate(String s) {
    return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
  }

  private static Delivery map(ResultSet rs, int n) throws SQLException {
    Timestamp sent = rs.getTimestamp("sent_at");
    int version = rs.getInt("creative_version");
    return new Delivery(rs.getString("id"), rs.getString("profile_id"), rs.getString("channel"), rs.getString("purpose"),
        rs.getString("creative_key"), rs.wasNull() ? null : version, rs.getString("journey_key"),
        rs.getString("process_instance_id"), rs.getString("activity_id"), rs.getString("status"), rs.getString("reason"),
        rs.getString("recipient"), rs.getInt("attempts"), rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("due_at").toInstant(), sent == null ? null : sent.toInstant(), read(rs.getString("params")),
        readContext(rs.getString("context")));
  }

  private static Map<String, Object> read(String text) {
    if (text == null) {
      return null;
    }
    try {
      return JSON.readValue(text, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("outbox params are not JSON", e);
    }
  }

  private static MessageContext readContext(String text) {
    try {
      return text == null ? null : JSON.readValue(text, MessageContext.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("outbox context is not JSON", e);
    }
  }

  private static String writeContext(MessageContext context) {
    try {
      return JSON.writeValueAsString(context);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the message context cannot be written as JSON", e);
    }
  }

  private static String write(Map<String, Object> params) {
    try {
      return JSON.writeValueAsString(params);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("outbox params cannot be written as JSON", e);
    }
  }
}
