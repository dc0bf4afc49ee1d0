package dev.overture.consent;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Addresses that must not be messaged on a channel: hard bounces, complaints, manual entries. An
 * address is an email address, a phone number or a push device token.
 * Only the SHA-256 of the normalised address is stored, so the list survives an erasure without
 * keeping the address itself.
 */
@Service
public class Suppressions {

  /** Why an address is suppressed. */
  public enum Reason {
    HARD_BOUNCE("hard-bounce"), COMPLAINT("complaint"), MANUAL("manual");

    private final String key;

    Reason(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }

    public static Optional<Reason> fromKey(String key) {
      for (Reason r : values()) {
        if (r.key.equals(key)) {
          return Optional.of(r);
        }
      }
      return Optional.empty();
    }
  }

  /** One suppression as stored (the address only as its hash). */
  public record Suppression(String channel, String addressHash, String reason, String source, Instant createdAt) {}

  private final JdbcClient jdbc;
  private final SendGuard guard;
  private final TransactionTemplate tx;

  Suppressions(JdbcClient jdbc, SendGuard guard, TransactionTemplate tx) {
    this.jdbc = jdbc;
    this.guard = guard;
    this.tx = tx;
  }

  /**
   * Adds the address; an address already on the list keeps its first reason. Returns true if it was new.
   * Waits for the sends in flight to the address first ({@link SendGuard}), so none leaves after it returned.
   */
  public boolean suppress(Channel channel, String address, Reason reason, String source) {
    String hash = hash(channel, address);
    return Boolean.TRUE.equals(tx.execute(s -> {
      guard.lockAddress(channel, address);
      try {
        return jdbc.sql("INSERT INTO suppression (channel, address_hash, reason, source, created_at) VALUES (?, ?, ?, ?, ?)")
            .params(channel.key(), hash, reason.key(), source == null ? "api" : source, Timestamp.from(Instant.now()))
            .update() == 1;
      } catch (DuplicateKeyException suppressed) {
        return false;
      }
    }));
  }

  /** Removes the address; returns true if it was on the list. */
  public boolean remove(Channel channel, String address) {
    return jdbc.sql("DELETE FROM suppression WHERE channel = ? AND address_hash = ?")
        .params(channel.key(), hash(channel, address)).update() == 1;
  }

  public Optional<Suppression> find(Channel channel, String address) {
    return jdbc.sql("SELECT * FROM suppression WHERE channel = ? AND address_hash = ?")
        .params(channel.key(), hash(channel, address))
        .query((rs, n) -> suppression(rs))
        .optional();
  }

  private static Suppression suppression(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Suppression(rs.getString("channel"), rs.getString("address_hash"), rs.getString("reason"), rs.getString("source"),
        rs.getTimestamp("created_at").toInstant());
  }

  public boolean isSuppressed(Channel channel, String address) {
    return address != null && find(channel, address).isPresent();
  }

  /** Those of the addresses (e.g. a profile's device tokens) that are not on the list, in their order; one query. */
  /** {@link #find} for many addresses of one channel in one query: address → its entry; addresses not listed are absent. */
  public java.util.Map<String, Suppression> findAll(Channel channel, java.util.Collection<String> addresses) {
    java.util.Map<String, String> byHash = new java.util.HashMap<>();
    addresses.stream().filter(java.util.Objects::nonNull).forEach(a -> byHash.put(hash(channel, a), a));
    java.util.Map<String, Suppression> out = new java.util.HashMap<>();
    if (byHash.isEmpty()) {
      return out;
    }
    jdbc.sql("SELECT * FROM suppression WHERE channel = :channel AND address_hash IN (:hashes)")
        .param("channel", channel.key()).param("hashes", byHash.keySet())
        .query(rs -> {
          out.put(byHash.get(rs.getString("address_hash")), suppression(rs));
        });
    return out;
  }

  public List<String> unsuppressed(Channel channel, List<String> addresses) {
    if (addresses.isEmpty()) {
      return List.of();
    }
    Set<String> listed = new HashSet<>(jdbc.sql("SELECT address_hash FROM suppression WHERE channel = :channel AND address_hash IN (:hashes)")
        .param("channel", channel.key())
        .param("hashes", addresses.stream().map(a -> hash(channel, a)).toList())
        .query(String.class).list());
    return addresses.stream().filter(a -> !listed.contains(hash(channel, a))).toList();
  }

  /** Lower-case trimmed email, phone without spaces and punctuation: the forms that identify one mailbox or line. */
  public static String normalise(Channel channel, String address) {
    return AddressHash.normalise(channel, address);
  }

  /** SHA-256 (hex) of the normalised address: what the list keeps instead of the address. */
  public static String hash(Channel channel, String address) {
    return AddressHash.of(channel, address);
  }
}
