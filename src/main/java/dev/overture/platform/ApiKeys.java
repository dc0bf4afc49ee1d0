package dev.overture.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/**
 * API keys for systems, each with its scopes. Only the SHA-256 of a key is stored; the key itself is
 * shown once, when it is created. Every request reads its key's row, so a revoked key stops working at
 * once on every node; the last-used time is written at most once per {@link #LAST_USED_GRANULARITY}
 * per key, so the hot path stays a single indexed read.
 */
@Component
public class ApiKeys {

  static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String COLUMNS = "id, name, scopes, created_at, last_used_at";

  /** A key as the API lists it: never the key or its hash. */
  public record Key(long id, String name, List<String> scopes, Instant createdAt, @Nullable Instant lastUsedAt) {}

  /** A key just created: the only time {@code key} is ever shown. */
  public record Issued(long id, String name, List<String> scopes, Instant createdAt, String key) {}

  private final JdbcClient jdbc;

  ApiKeys(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Stores a key given in configuration under {@code name} unless its hash is already stored: then it
   * keeps its row as it is, so a key revoked over the API stays revoked when the app restarts.
   */
  public void register(String name, String key, Collection<String> scopes) {
    try {
      insert(name, hash(key), scopes, Instant.now());
    } catch (DuplicateKeyException alreadyStored) {
      // the same configured key at every start: nothing to do
    }
  }

  /** Creates a random key with these scopes. */
  public Issued create(String name, Collection<String> scopes) {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String key = "ovk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Instant now = Instant.now();
    long id = insert(name, hash(key), scopes, now);
    return new Issued(id, name, List.copyOf(new LinkedHashSet<>(scopes)), now, key);
  }

  /** Keys that are not revoked, oldest first. */
  public List<Key> list() {
    return jdbc.sql("SELECT " + COLUMNS + " FROM api_key WHERE revoked_at IS NULL ORDER BY id").query(ApiKeys::key).list();
  }

  /** Revokes the key; false when there is no such key or it was revoked already. */
  public boolean revoke(long id) {
    return jdbc.sql("UPDATE api_key SET revoked_at = CURRENT_TIMESTAMP(3) WHERE id = ? AND revoked_at IS NULL")
        .param(id).update() == 1;
  }

  /** The key, if it is known and not revoked. */
  public Optional<Key> authenticate(String key) {
    Optional<Key> found = jdbc.sql("SELECT " + COLUMNS + " FROM api_key WHERE key_hash = ? AND revoked_at IS NULL")
        .param(hash(key)).query(ApiKeys::key).optional();
    found.ifPresent(this::touch);
    return found;
  }

  private void touch(Key key) {
    Instant now = Instant.now();
    Instant due = now.minus(LAST_USED_GRANULARITY);
    if (key.lastUsedAt() == null || key.lastUsedAt().isBefore(due)) {
      // the condition makes concurrent requests of one key write once
      jdbc.sql("UPDATE api_key SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)")
          .params(Timestamp.from(now), key.id(), Timestamp.from(due)).update();
    }
  }

  private long insert(String name, String hash, Collection<String> scopes, Instant createdAt) {
    KeyHolder id = new GeneratedKeyHolder();
    jdbc.sql("INSERT INTO api_key (name, key_hash, scopes, created_at) VALUES (?, ?, ?, ?)")
        .params(name, hash, String.join(" ", new LinkedHashSet<>(scopes)), Timestamp.from(createdAt))
        .update(id, "id");
    return id.getKey().longValue();
  }

  private static Key key(ResultSet rs, int row) throws SQLException {
    Timestamp lastUsed = rs.getTimestamp("last_used_at");
    String scopes = rs.getString("scopes");
    return new Key(rs.getLong("id"), rs.getString("name"),
        scopes.isBlank() ? List.of() : Arrays.asList(scopes.split(" ")),
        rs.getTimestamp("created_at").toInstant(), lastUsed == null ? null : lastUsed.toInstant());
  }

  static String hash(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
