package dev.overture.event.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Segment write keys: the HTTP Basic user on {@code /v1/*}. Only the SHA-256 of a key is stored. */
@Component
public class SegmentWriteKeys {

  private final JdbcClient jdbc;

  SegmentWriteKeys(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores the key's hash under {@code name} unless that hash is already known. */
  public void register(String name, String key) {
    jdbc.sql("INSERT IGNORE INTO segment_write_key (name, key_hash, created_at) VALUES (?, ?, CURRENT_TIMESTAMP(3))")
        .params(name, hash(key)).update();
  }

  /** The name of the key, if it is known and not revoked. */
  public Optional<String> authenticate(String key) {
    return jdbc.sql("SELECT name FROM segment_write_key WHERE key_hash = ? AND revoked_at IS NULL")
        .param(hash(key)).query(String.class).optional();
  }

  private static String hash(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
