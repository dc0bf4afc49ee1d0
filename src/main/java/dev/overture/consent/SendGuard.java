package dev.overture.consent;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Makes an answered revocation final, on every node: a row of {@code send_guard} per profile and per address.
 * A send holds the rows of its profile and addresses shared (several sends at once) from its last check of
 * consent and the suppression list until the provider has answered; a revocation, a suppression or an erasure
 * takes its row exclusively in the transaction that records it. So the revocation waits for the sends in flight
 * and commits (and answers) only after them, and every send after it reads what it recorded.
 */
@Service
public class SendGuard {

  private final JdbcClient jdbc;

  SendGuard(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** What a send may do, read under the guard: the consent decision, whether the profile was erased, suppressed addresses. */
  public record Check(ConsentDecision consent, boolean erased, Map<String, String> suppressed) {

    /** Consent allows it and the profile is not erased; which addresses are left is the caller's to ask. */
    public boolean allowed() {
      return consent.allowed() && !erased;
    }
  }

  /**
   * For a send, in the caller's transaction (which must be open until the provider answered): takes the rows
   * of the profile and of the addresses on {@code channel} shared, then reads the newest consent of
   * {@code purpose} and which of the addresses are suppressed (address → reason), as committed now.
   */
  public Check hold(String profileId, Channel channel, Purpose purpose, List<String> addresses) {
    requireTransaction();
    Map<String, String> addressOfHash = new LinkedHashMap<>();
    addresses.forEach(a -> addressOfHash.put(AddressHash.of(channel, a), a));
    Set<String> keys = new TreeSet<>();
    keys.add(profileKey(profileId));
    addressOfHash.keySet().forEach(h -> keys.add(addressKey(channel, h)));
    boolean erased = lockShared(keys).contains(profileKey(profileId));
    // the newest ledger entry and the suppressed addresses in one statement: this runs once per message sent
    List<Object> params = new ArrayList<>(List.of(profileId, channel.key(), purpose.key(), channel.key()));
    params.addAll(addressOfHash.keySet());
    String hashes = addressOfHash.isEmpty() ? "NULL" : "?, ".repeat(addressOfHash.size() - 1) + "?";
    ConsentDecision[] consent = {ConsentDecision.byDefault(purpose)};
    Map<String, String> suppressed = new HashMap<>();
    jdbc.sql("(SELECT 'consent' AS kind, id, status AS value FROM consent_entry WHERE profile_id = ? AND channel = ? AND purpose = ?"
            + " ORDER BY id DESC LIMIT 1) UNION ALL (SELECT address_hash, NULL, reason FROM suppression WHERE channel = ?"
            + " AND address_hash IN (" + hashes + "))")
        .params(params)
        .query(rs -> {
          if ("consent".equals(rs.getString("kind"))) {
            consent[0] = new ConsentDecision("granted".equals(rs.getString("value")), rs.getLong("id"));
          } else {
            suppressed.put(addressOfHash.get(rs.getString("kind")), rs.getString("value"));
          }
        });
    return new Check(consent[0], erased, suppressed);
  }

  /** Locks the rows shared, creating those that do not exist yet; returns the keys marked erased. */
  private Set<String> lockShared(Set<String> keys) {
    Set<String> erased = new TreeSet<>();
    Set<String> found = new TreeSet<>();
    String select = "SELECT guard_key, erased_at FROM send_guard WHERE guard_key IN (:keys) LOCK IN SHARE MODE";
    jdbc.sql(select).param("keys", keys).query(rs -> {
      found.add(rs.getString(1));
      if (rs.getTimestamp(2) != null) {
        erased.add(rs.getString(1));
      }
    });
    if (found.size() < keys.size()) {
      // a row that does not exist locks nothing: create it (waiting for a revocation that is creating it), then lock it
      List<String> missing = keys.stream().filter(k -> !found.contains(k)).toList();
      jdbc.sql("INSERT IGNORE INTO send_guard (guard_key) VALUES " + "(?), ".repeat(missing.size() - 1) + "(?)")
          .params(missing).update();
      erased.clear();
      jdbc.sql(select).param("keys", keys).query(rs -> {
        if (rs.getTimestamp(2) != null) {
          erased.add(rs.getString(1));
        }
      });
    }
    return erased;
  }

  /** For a revocation of the profile's consent, in its transaction: waits for the profile's sends in flight. */
  void lockProfile(String profileId) {
    lockExclusive(profileKey(profileId));
  }

  /** For a suppression, in its transaction: waits for the sends in flight to this address. */
  void lockAddress(Channel channel, String address) {
    lockExclusive(addressKey(channel, AddressHash.of(channel, address)));
  }

  /** For an erasure, in its transaction: waits for the profile's sends in flight and refuses every later one. */
  void erase(String profileId) {
    requireTransaction();
    jdbc.sql("INSERT INTO send_guard (guard_key, erased_at) VALUES (?, ?) ON DUPLICATE KEY UPDATE erased_at = VALUES(erased_at)")
        .params(profileKey(profileId), Timestamp.from(Instant.now())).update();
  }

  private void lockExclusive(String key) {
    requireTransaction();
    // an upsert locks the row exclusively whether it inserts or finds it, and waits for every shared holder
    jdbc.sql("INSERT INTO send_guard (guard_key) VALUES (?) ON DUPLICATE KEY UPDATE guard_key = guard_key").param(key).update();
  }

  private static void requireTransaction() {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new IllegalStateException("the send guard is held by a transaction: call it inside one");
    }
  }

  private static String profileKey(String profileId) {
    return "p:" + profileId;
  }

  private static String addressKey(Channel channel, String hash) {
    return "a:" + channel.key() + ":" + hash;
  }
}
