package dev.overture.experiment.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Split's draw, as Braze and Adobe do it: a hash of the experiment key and the profile id into 10,000
 * buckets, and the variants' weights mapped onto consecutive bucket ranges. The hash is uniform, so each
 * variant's share over many profiles is its weight's share (to 1/10,000); it depends on nothing but the two
 * ids, so a profile that enters again, on any node, lands in the same variant.
 */
public final class Buckets {

  public static final int BUCKETS = 10_000;

  private Buckets() {}

  /** The profile's bucket in this experiment, 0 to 9,999: the first four bytes of SHA-256 of key "/" profile. */
  public static int bucket(String experimentKey, String profileId) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest((experimentKey + "/" + profileId).getBytes(StandardCharsets.UTF_8));
      long v = ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
      return (int) (v % BUCKETS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The variant whose range holds the bucket. Variant i holds buckets from floor(W(i-1) × 10,000 / W) up to
   * floor(W(i) × 10,000 / W), W(i) being the sum of the first i weights: A:45,B:45,control:10 gives A 0-4499,
   * B 4500-8999, control 9000-9999.
   */
  public static String variant(Map<String, Integer> weights, int bucket) {
    long total = weights.values().stream().mapToLong(Integer::longValue).sum();
    long cumulative = 0;
    for (Map.Entry<String, Integer> w : weights.entrySet()) {
      cumulative += w.getValue();
      if (bucket < cumulative * BUCKETS / total) {
        return w.getKey();
      }
    }
    throw new IllegalStateException("no variant for bucket " + bucket);
  }

  /** Parses "A:45,B:45,control:10" in order; a malformed list or weights that add up to zero are a modelling error. */
  public static Map<String, Integer> weights(String elementId, String spec) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (String part : spec.split(",")) {
      String[] nw = part.trim().split(":");
      if (nw.length != 2 || !nw[1].trim().matches("\\d{1,3}") || nw[0].isBlank()) {
        throw new IllegalStateException("Task '" + elementId + "': variants must look like 'A:50,B:50', got '" + spec + "'");
      }
      if (weights.put(nw[0].trim(), Integer.parseInt(nw[1].trim())) != null) {
        throw new IllegalStateException("Task '" + elementId + "': variant '" + nw[0].trim() + "' is named twice in '" + spec + "'");
      }
    }
    if (weights.values().stream().mapToInt(Integer::intValue).sum() <= 0) {
      throw new IllegalStateException("Task '" + elementId + "': the variant weights add up to zero");
    }
    return weights;
  }
}
