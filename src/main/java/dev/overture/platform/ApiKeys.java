package dev.overture.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** API keys for systems. Only the SHA-256 of a key is stored; the key itself is shown once. */
@Component
public class ApiKeys {

  private final JdbcClient jdbc;

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
    return jdbc.sql("SELECT name FROM api_key WHERE key_hash = ? AND revoked_at IS NULL")
        .param(hash(key))
        .query(String.class)
        .optional();
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
