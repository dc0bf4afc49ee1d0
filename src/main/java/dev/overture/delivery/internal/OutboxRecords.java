package dev.overture.delivery.internal;

import dev.overture.consent.Purpose;
import dev.overture.delivery.Delivery;
import dev.overture.delivery.MessageContext;
import dev.overture.delivery.Origin;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The outbox's rows as records: queued, read for a profile or a journey, re-keyed by a merge, erased. */
@Component
public class OutboxRecords {

  private final JdbcClient jdbc;

  OutboxRecords(JdbcClient jdbc) {
    this.jdbc = jdbc;
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
            origin.activityId(), now, now, now, params == null ? null : OutboxRows.write(params), context == null ? null : OutboxRows.writeContext(context))
        .update();
    return id;
  }

  /**
   * Writes a row that is suppressed from the start: nothing will claim or send it, and it has no outcome event (a
   * journey waiting for {@code message.suppressed} must not hear of a message that was never meant to go).
   */
  public String insertSuppressed(String profileId, String channel, Purpose purpose, String creativeKey, Origin origin,
      String reason) {
    String id = UUID.randomUUID().toString();
    Timestamp now = Timestamp.from(Instant.now());
    jdbc.sql("""
            INSERT INTO outbox_message (id, profile_id, channel, purpose, creative_key, journey_key, process_instance_id,
                activity_id, status, reason, attempts, due_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'suppressed', ?, 0, ?, ?, ?)""")
        .params(id, profileId, channel, purpose.key(), creativeKey, origin.journeyKey(), origin.processInstanceId(),
            origin.activityId(), reason, now, now, now)
        .update();
    return id;
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

  public int reassign(String fromProfileId, String toProfileId) {
    return jdbc.sql("UPDATE outbox_message SET profile_id = ? WHERE profile_id = ?").params(toProfileId, fromProfileId).update();
  }

  public Optional<Delivery> find(String id) {
    return jdbc.sql("SELECT * FROM outbox_message WHERE id = ?").param(id).query(OutboxRows::map).optional();
  }

  public List<Delivery> ofProfile(String profileId) {
    return jdbc.sql("SELECT * FROM outbox_message WHERE profile_id = ? ORDER BY created_at, id")
        .param(profileId).query(OutboxRows::map).list();
  }
}
