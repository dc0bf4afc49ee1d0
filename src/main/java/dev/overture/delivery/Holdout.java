package dev.overture.delivery;

import dev.overture.delivery.internal.HoldoutProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The global holdout: {@code overture.experiments.holdout-percent} of all profiles get no marketing message
 * from any journey (the dispatcher suppresses them with the reason {@code holdout}); transactional messages
 * still go. Membership is a hash, not a stored flag: SHA-256 of the installation's salt (generated once by
 * the migration, table {@code holdout_salt}) and the profile id, into 10,000 buckets; a profile is held out
 * while its bucket is below percent × 100. So it is the same on every node, from the first message on,
 * without a write per profile, and raising the percentage only adds profiles (nobody held out is let in).
 */
@Service
public class Holdout {

  public static final int BUCKETS = 10_000;

  /**
   * {@link #bucket} as a MariaDB expression over a profile id column, for queries that count the holdout's
   * profiles; bind {@code :holdoutSalt} to {@link #salt()}. {@code HoldoutTest} checks both agree.
   */
  public static final String SQL_BUCKET = "MOD(CONV(LEFT(SHA2(CONCAT(:holdoutSalt, ':', %s), 256), 8), 16, 10), " + BUCKETS + ")";

  private final JdbcClient jdbc;
  private final HoldoutProperties props;
  private volatile String salt;

  Holdout(JdbcClient jdbc, HoldoutProperties props) {
    this.jdbc = jdbc;
    this.props = props;
  }

  /** The configured percentage, 0 to 100. */
  public double percent() {
    return props.holdoutPercent();
  }

  /** Profiles whose bucket is below this are held out. */
  public int threshold() {
    return (int) Math.round(props.holdoutPercent() * BUCKETS / 100.0);
  }

  public boolean contains(String profileId) {
    return threshold() > 0 && bucket(profileId) < threshold();
  }

  /** The profile's holdout bucket, 0 to 9,999. */
  public int bucket(String profileId) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest((salt() + ":" + profileId).getBytes(StandardCharsets.UTF_8));
      long v = ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
      return (int) (v % BUCKETS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The installation's salt (it never changes, so it is read once). */
  public String salt() {
    String s = salt;
    if (s == null) {
      s = jdbc.sql("SELECT salt FROM holdout_salt WHERE id = 1").query(String.class).single();
      salt = s;
    }
    return s;
  }
}
