package dev.overture.delivery.internal;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Marketing frequency caps, atomic across threads and nodes: a reservation locks the profile's
 * {@code frequency_lock} row for the channel ({@code FOR UPDATE}), counts the slots in the rolling
 * window, and adds one for the message if there is room, all in one short transaction. A slot is
 * keyed by outbox id, so a retried message keeps its slot; a failed one gives it back.
 */
@Component
class FrequencyCaps {

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final GovernanceProperties props;

  FrequencyCaps(JdbcClient jdbc, TransactionTemplate tx, GovernanceProperties props) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.props = props;
  }

  Optional<GovernanceProperties.Cap> capOf(String channel) {
    return Optional.ofNullable(props.frequencyCap().get(channel)).filter(c -> c.max() != null && c.window() != null);
  }

  /** True if the message may go (no cap, or room in the window; the slot is then taken). */
  boolean reserve(String profileId, String channel, String outboxId) {
    Optional<GovernanceProperties.Cap> cap = capOf(channel);
    if (cap.isEmpty()) {
      return true;
    }
    // the lock row exists before the locking transaction, so concurrent first inserts cannot deadlock
    try {
      jdbc.sql("INSERT INTO frequency_lock (profile_id, channel) VALUES (?, ?)").params(profileId, channel).update();
    } catch (DuplicateKeyException exists) {
      // the usual case after the first message of this profile and channel
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return Boolean.TRUE.equals(tx.execute(s -> reserveLocked(profileId, channel, outboxId, cap.get())));
      } catch (PessimisticLockingFailureException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  private boolean reserveLocked(String profileId, String channel, String outboxId, GovernanceProperties.Cap cap) {
    jdbc.sql("SELECT profile_id FROM frequency_lock WHERE profile_id = ? AND channel = ? FOR UPDATE")
        .params(profileId, channel).query(String.class).list();
    if (jdbc.sql("SELECT COUNT(*) FROM frequency_slot WHERE outbox_id = ?").param(outboxId).query(Integer.class).single() > 0) {
      return true;
    }
    Instant now = Instant.now();
    Timestamp windowStart = Timestamp.from(now.minus(cap.window()));
    jdbc.sql("DELETE FROM frequency_slot WHERE profile_id = ? AND channel = ? AND reserved_at < ?")
        .params(profileId, channel, windowStart).update();
    int used = jdbc.sql("SELECT COUNT(*) FROM frequency_slot WHERE profile_id = ? AND channel = ? AND reserved_at >= ?")
        .params(profileId, channel, windowStart).query(Integer.class).single();
    if (used >= cap.max()) {
      return false;
    }
    jdbc.sql("INSERT INTO frequency_slot (outbox_id, profile_id, channel, reserved_at) VALUES (?, ?, ?, ?)")
        .params(outboxId, profileId, channel, Timestamp.from(now)).update();
    return true;
  }

  /** Gives a slot back: the message was not delivered after all. */
  void release(String outboxId) {
    jdbc.sql("DELETE FROM frequency_slot WHERE outbox_id = ?").param(outboxId).update();
  }

  static String describe(GovernanceProperties.Cap cap) {
    Duration w = cap.window();
    return cap.max() + " per " + (w.toDaysPart() > 0 && w.toHoursPart() == 0 && w.toMinutesPart() == 0 ? w.toDays() + " days" : w.toString());
  }
}
