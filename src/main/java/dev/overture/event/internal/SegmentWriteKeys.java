package dev.overture.event.internal;

import dev.overture.platform.WriteKeyLookup;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Segment write keys: the HTTP Basic user on {@code /v1/*}. Only the SHA-256 of a key is stored. */
@Component
public class SegmentWriteKeys implements WriteKeyLookup {

  private final JdbcClient jdbc;

  SegmentWriteKeys(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores the key's hash under {@code name} unless that hash is already known; any other failure is thrown. */
  public void register(String name, String key) {
    try {
      jdbc.sql("INSERT INTO segment_write_key (name, key_hash, created_at) VALUES (?, ?, CURRENT_TIMESTAMP(3))")
          .params(name, hash(key)).update();
    } catch (DuplicateKeyException alreadyStored) {
      // the same configured key at every start: nothing to do
    }
  }

  @Override
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
