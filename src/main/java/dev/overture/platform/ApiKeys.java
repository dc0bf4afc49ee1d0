package dev.overture.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * API keys for systems. Only the SHA-256 of a key is stored; the key itself is shown once. A key that
 * authenticated is trusted again without a query for {@link #REMEMBER} (every event is a request; the
 * lookup was one of its few database round trips), so a key revoked in the table stops working within
 * that time on every node.
 */
@Component
public class ApiKeys {

  static final Duration REMEMBER = Duration.ofSeconds(10);

  private final JdbcClient jdbc;
  private final Map<String, Known> known = new ConcurrentHashMap<>();

  private record Known(String name, long until) {}

  ApiKeys(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores the key's hash under {@code name} unless that hash is already known. */
  public void register(String name, String key) {
    jdbc.sql("INSERT IGNORE INTO api_key (name, key_hash, created_at) VALUES (?, ?, CURRENT_TIMESTAMP(3))")
        .params(name, hash(key))
        .update();
  }

  /** The name of the key, if it is known and not revoked. */
  public Optional<String> authenticate(String key) {
    String hash = hash(key);
    long now = System.nanoTime();
    Known remembered = known.get(hash);
    if (remembered != null && now - remembered.until() < 0) {
      return Optional.of(remembered.name());
    }
    // only keys that exist are remembered, so the map holds at most one entry per issued key
    Optional<String> name = jdbc.sql("SELECT name FROM api_key WHERE key_hash = ? AND revoked_at IS NULL")
        .param(hash)
        .query(String.class)
        .optional();
    name.ifPresentOrElse(n -> known.put(hash, new Known(n, now + REMEMBER.toNanos())), () -> known.remove(hash));
    return name;
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
