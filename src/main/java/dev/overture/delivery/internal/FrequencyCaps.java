package dev.overture.delivery.internal;

import dev.overture.profile.ProfilesMerged;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Marketing frequency caps, atomic across threads and nodes: a reservation locks the profile's
 * {@code frequency_lock} row for the channel ({@code FOR UPDATE}), counts the slots in the rolling
 * window, and adds one for the message if there is room, all in one short transaction. A slot is
 * keyed by outbox id, so a retried message keeps its slot; a failed one gives it back. A merge moves the
 * merged-away profile's slots to the survivor and points its lock rows at the survivor ({@code merged_into}),
 * so a reservation made with a profile read before the merge counts against the survivor's cap too.
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
    String owner = profileId;
    for (int hops = 0; ; hops++) {
      Reservation r = reserveFor(owner, channel, outboxId, cap.get());
      if (r.mergedInto() == null) {
        return r.granted();
      }
      if (hops == 3) {
        throw new IllegalStateException("frequency_lock of " + profileId + " points along a chain of merges; see onMerge");
      }
      // merged away since the caller read the profile: the survivor's cap decides
      owner = r.mergedInto();
    }
  }

  /** Granted or not; or, when the profile was merged away, the survivor to ask instead. */
  private record Reservation(boolean granted, String mergedInto) {}

  private Reservation reserveFor(String profileId, String channel, String outboxId, GovernanceProperties.Cap cap) {
    // the lock row exists before the locking transaction, so concurrent first inserts cannot deadlock
    // (IGNORE: the row is there after the profile's first message on the channel, the usual case, which an
    // exception per message would make the dearer one)
    jdbc.sql("INSERT IGNORE INTO frequency_lock (profile_id, channel) VALUES (?, ?)").params(profileId, channel).update();
    for (int attempt = 1; ; attempt++) {
      try {
        return tx.execute(s -> reserveLocked(profileId, channel, outboxId, cap));
      } catch (PessimisticLockingFailureException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  private Reservation reserveLocked(String profileId, String channel, String outboxId, GovernanceProperties.Cap cap) {
    String mergedInto = jdbc.sql("SELECT merged_into FROM frequency_lock WHERE profile_id = ? AND channel = ? FOR UPDATE")
        .params(profileId, channel).query((rs, n) -> Optional.ofNullable(rs.getString(1))).list()
        .stream().flatMap(Optional::stream).findFirst().orElse(null);
    if (mergedInto != null) {
      return new Reservation(false, mergedInto);
    }
    Instant now = Instant.now();
    Timestamp windowStart = Timestamp.from(now.minus(cap.window()));
    // in one read of the profile's slots for the channel: this message's own (a retry keeps its slot), those in
    // the window, and those past it, which are cleared only when there are any
    int[] slots = jdbc.sql("SELECT COALESCE(SUM(outbox_id = ?), 0), COALESCE(SUM(reserved_at >= ?), 0), COUNT(*) "
            + "FROM frequency_slot WHERE profile_id = ? AND channel = ?")
        .params(outboxId, windowStart, profileId, channel)
        .query((rs, n) -> new int[] {rs.getInt(1), rs.getInt(2), rs.getInt(3)}).single();
    if (slots[0] > 0) {
      return new Reservation(true, null);
    }
    int used = slots[1];
    if (slots[2] > used) {
      jdbc.sql("DELETE FROM frequency_slot WHERE profile_id = ? AND channel = ? AND reserved_at < ?")
          .params(profileId, channel, windowStart).update();
    }
    if (used >= cap.max()) {
      return new Reservation(false, null);
    }
    jdbc.sql("INSERT INTO frequency_slot (outbox_id, profile_id, channel, reserved_at) VALUES (?, ?, ?, ?)")
        .params(outboxId, profileId, channel, Timestamp.from(now)).update();
    return new Reservation(true, null);
  }

  /**
   * In the merge's transaction: the merged-away profile's lock rows (one per capped channel, made if missing) point
   * at the survivor, and its slots become the survivor's. Taking both profiles' lock rows first makes a reservation
   * of either that is under way finish before, and one that starts wait until the merge has committed, so none
   * counts the survivor's slots without the moved ones.
   */
  @EventListener
  void onMerge(ProfilesMerged merged) {
    String from = merged.mergedId();
    String to = merged.survivorId();
    List<String> capped = props.frequencyCap().keySet().stream().filter(c -> capOf(c).isPresent()).sorted().toList();
    if (!capped.isEmpty()) {
      lockRows(from, to, capped);
      lockRows(to, null, capped);
    }
    // rows of channels without a cap today, and ids merged into the merged-away profile earlier
    jdbc.sql("UPDATE frequency_lock SET merged_into = ? WHERE profile_id = ? OR merged_into = ?").params(to, from, from).update();
    jdbc.sql("UPDATE frequency_slot SET profile_id = ? WHERE profile_id = ?").params(to, from).update();
  }

  /** Creates or updates the profile's lock rows of these channels, which locks them until the transaction ends. */
  private void lockRows(String profileId, String mergedInto, List<String> channels) {
    List<Object> params = new ArrayList<>(channels.size() * 3);
    for (String channel : channels) {
      params.add(profileId);
      params.add(channel);
      params.add(mergedInto);
    }
    jdbc.sql("INSERT INTO frequency_lock (profile_id, channel, merged_into) VALUES "
            + String.join(", ", Collections.nCopies(channels.size(), "(?, ?, ?)"))
            + " ON DUPLICATE KEY UPDATE merged_into = VALUES(merged_into)")
        .params(params).update();
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
