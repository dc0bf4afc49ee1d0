package dev.overture.consent;

import dev.overture.platform.InvalidInput;
import dev.overture.profile.Profiles;
import dev.overture.profile.ProfilesMerged;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import java.util.Set;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The consent ledger: append-only, one row per statement of the customer; the current state of a
 * channel and purpose is its newest row.
 */
@Service
public class Consents {

  private static final RowMapper<Consent> ROW = (rs, n) -> new Consent(rs.getString("channel"), rs.getString("purpose"),
      rs.getString("status"), rs.getString("source"), rs.getString("recorded_by"), rs.getTimestamp("recorded_at").toInstant());

  private final JdbcClient jdbc;
  private final SendGuard guard;
  private final TransactionTemplate tx;

  private final Profiles profiles;
  private final org.springframework.context.ApplicationEventPublisher publisher;

  Consents(JdbcClient jdbc, SendGuard guard, TransactionTemplate tx, Profiles profiles,
      org.springframework.context.ApplicationEventPublisher publisher) {
    this.publisher = publisher;
    this.jdbc = jdbc;
    this.guard = guard;
    this.tx = tx;
    this.profiles = profiles;
  }

  /**
   * Appends a statement for the profile, or for its survivor when the id was merged away (the ledger follows
   * merges, and the send-time decision reads the survivor's); returns it as recorded. A revocation first waits
   * for the profile's sends in flight ({@link SendGuard}) and commits with them out of the way (in the caller's
   * transaction, if any): once it returned and committed, no message it revokes leaves any more.
   */
  public Consent record(String requestedId, Channel channel, Purpose purpose, boolean granted, String source, String recordedBy) {
    String profileId = profiles.canonicalId(requestedId).orElse(requestedId);
    return tx.execute(s -> {
      if (!granted) {
        guard.lockProfile(profileId);
      }
      Instant now = Instant.now();
      String status = granted ? "granted" : "revoked";
      jdbc.sql("INSERT INTO consent_entry (profile_id, channel, purpose, status, source, recorded_by, recorded_at) "
              + "VALUES (?, ?, ?, ?, ?, ?, ?)")
          .params(profileId, channel.key(), purpose.key(), status, source, recordedBy, Timestamp.from(now))
          .update();
      publisher.publishEvent(new dev.overture.profile.ProfileChanged(profileId));
      return new Consent(channel.key(), purpose.key(), status, source, recordedBy, now);
    });
  }

  /**
   * Moves the ledger of a merged-away profile to the survivor. Statements keep their ids, so the
   * newest statement across both profiles decides each channel and purpose from now on.
   */
  public int reassign(String fromProfileId, String toProfileId) {
    return jdbc.sql("UPDATE consent_entry SET profile_id = ? WHERE profile_id = ?").params(toProfileId, fromProfileId).update();
  }

  @EventListener
  void onMerge(ProfilesMerged merged) {
    reassign(merged.mergedId(), merged.survivorId());
  }

  /** Whether a message of this purpose may go to this profile on this channel now. */
  public boolean allows(String profileId, Channel channel, Purpose purpose) {
    return current(profileId, channel, purpose)
        .map(Consent::granted)
        .orElse(purpose == Purpose.TRANSACTIONAL);
  }

  /** Like {@link #allows}, also naming the ledger entry that decided, so a delivery can prove its consent. */
  public ConsentDecision decide(String profileId, Channel channel, Purpose purpose) {
    return jdbc.sql("SELECT id, status FROM consent_entry WHERE profile_id = ? AND channel = ? AND purpose = ? ORDER BY id DESC LIMIT 1")
        .params(profileId, channel.key(), purpose.key())
        .query((rs, n) -> new ConsentDecision("granted".equals(rs.getString("status")), rs.getLong("id")))
        .optional()
        .orElseGet(() -> ConsentDecision.byDefault(purpose));
  }

  /**
   * {@link #decide} for many profiles at once: the newest ledger entry of each profile, channel and
   * purpose, read in one query. Ask the answer as you would ask {@link #decide}.
   */
  public Decisions decideAll(Collection<String> profileIds) {
    java.util.Map<String, ConsentDecision> newest = new java.util.HashMap<>();
    if (!profileIds.isEmpty()) {
      jdbc.sql("""
              SELECT c.id, c.profile_id, c.channel, c.purpose, c.status FROM consent_entry c
              JOIN (SELECT MAX(id) AS id FROM consent_entry WHERE profile_id IN (:ids) GROUP BY profile_id, channel, purpose) n
                ON n.id = c.id""")
          .param("ids", new HashSet<>(profileIds))
          .query(rs -> {
            newest.put(Decisions.key(rs.getString("profile_id"), rs.getString("channel"), rs.getString("purpose")),
                new ConsentDecision("granted".equals(rs.getString("status")), rs.getLong("id")));
          });
    }
    return new Decisions(newest);
  }

  /** Send-time decisions of a batch of profiles, as read by {@link #decideAll}. */
  public static final class Decisions {

    private final java.util.Map<String, ConsentDecision> newest;

    private Decisions(java.util.Map<String, ConsentDecision> newest) {
      this.newest = newest;
    }

    public ConsentDecision decide(String profileId, Channel channel, Purpose purpose) {
      ConsentDecision d = newest.get(key(profileId, channel.key(), purpose.key()));
      return d != null ? d : ConsentDecision.byDefault(purpose);
    }

    private static String key(String profileId, String channel, String purpose) {
      return profileId + '\n' + channel + '\n' + purpose;
    }
  }

  /**
   * Erasure: deletes the profile's ledger and marks the profile erased for the {@link SendGuard}, after its
   * sends in flight (in the caller's transaction); returns how many entries.
   */
  public int erase(String profileId) {
    return tx.execute(s -> {
      guard.erase(profileId);
      return jdbc.sql("DELETE FROM consent_entry WHERE profile_id = ?").param(profileId).update();
    });
  }

  public Optional<Consent> current(String profileId, Channel channel, Purpose purpose) {
    return jdbc.sql("SELECT * FROM consent_entry WHERE profile_id = ? AND channel = ? AND purpose = ? ORDER BY id DESC LIMIT 1")
        .params(profileId, channel.key(), purpose.key())
        .query(ROW)
        .optional();
  }

  /** The newest statement per channel and purpose. */
  public List<Consent> currentOf(String profileId) {
    return jdbc.sql("""
            SELECT c.* FROM consent_entry c
            WHERE c.profile_id = ? AND c.id = (SELECT MAX(id) FROM consent_entry
                WHERE profile_id = c.profile_id AND channel = c.channel AND purpose = c.purpose)
            ORDER BY c.channel, c.purpose""")
        .param(profileId)
        .query(ROW)
        .list();
  }

  /** Every statement, oldest first. */
  public List<Consent> historyOf(String profileId) {
    return jdbc.sql("SELECT * FROM consent_entry WHERE profile_id = ? ORDER BY id").param(profileId).query(ROW).list();
  }

  /**
   * Which of these profiles {@link #allows} allows, in one query: for audiences and segments, where
   * one query per profile would not scale.
   */
  public Set<String> allowing(Collection<String> profileIds, Channel channel, Purpose purpose) {
    if (profileIds.isEmpty()) {
      return Set.of();
    }
    Set<String> granted = new HashSet<>();
    Set<String> stated = new HashSet<>();
    jdbc.sql("SELECT c.profile_id, c.status FROM consent_entry c WHERE c.channel = ? AND c.purpose = ? AND c.profile_id IN ("
            + "?, ".repeat(profileIds.size() - 1) + "?) AND c.id = (SELECT MAX(id) FROM consent_entry "
            + "WHERE profile_id = c.profile_id AND channel = c.channel AND purpose = c.purpose)")
        .param(channel.key()).param(purpose.key()).params(List.copyOf(profileIds))
        .query(rs -> {
          stated.add(rs.getString(1));
          if ("granted".equals(rs.getString(2))) {
            granted.add(rs.getString(1));
          }
        });
    if (purpose == Purpose.TRANSACTIONAL) {
      profileIds.stream().filter(id -> !stated.contains(id)).forEach(granted::add);
    }
    return granted;
  }

  public static Channel channel(String key) {
    return Channel.fromKey(key).orElseThrow(() -> new InvalidInput("unknown-channel",
        "Unknown channel '" + key + "'; use email, sms, push, webhook or audience"));
  }

  public static Purpose purpose(String key) {
    return Purpose.fromKey(key).orElseThrow(() -> new InvalidInput("unknown-purpose",
        "Unknown purpose '" + key + "'; use marketing or transactional"));
  }
}
