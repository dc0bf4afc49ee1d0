package dev.overture.journey.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * The fingerprint of an entry request that an {@code Idempotency-Key} is bound to: the SHA-256 of the
 * request's canonical JSON, {@code {"profileId":…,"variables":…}} with the keys of every map, nested ones
 * too, in sorted order. So the same request matches however its keys were ordered, and {@code 1} differs
 * from {@code "1"}.
 */
@Component
public class EntryFingerprints {

  private final ObjectMapper canonical;

  EntryFingerprints(ObjectMapper json) {
    // the app's mapper for its modules (dates as ISO text), with sorted keys and null entries kept:
    // a variable set to null is another request than one without it
    this.canonical = json.copy()
        .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
        .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.ALWAYS, JsonInclude.Include.ALWAYS));
  }

  /** The fingerprint of entering {@code profileId} with these variables. */
  public Fingerprint of(String profileId, Map<String, Object> variables) {
    return new Fingerprint(profileId, variables);
  }

  /** One request's fingerprint, and whether a stored one belongs to the same request. */
  public final class Fingerprint {

    private final String profileId;
    private final Map<String, Object> variables;
    private final String value;

    private Fingerprint(String profileId, Map<String, Object> variables) {
      this.profileId = profileId;
      this.variables = variables;
      Map<String, Object> request = new LinkedHashMap<>();
      request.put("profileId", profileId);
      request.put("variables", variables);
      try {
        this.value = sha256(canonical.writeValueAsString(request));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("entry variables that are not JSON: " + e.getOriginalMessage(), e);
      }
    }

    /** What is stored with the entry. */
    public String value() {
      return value;
    }

    /**
     * Whether the stored fingerprint is this request's: today's, or the one written before fingerprints
     * were canonical (profile id then {@code TreeMap.toString()}), so that a request retried across the
     * upgrade still finds its entry. Only a row of that time can hold the older form: for a request's
     * other form to equal another request's fingerprint would take a SHA-256 collision.
     */
    public boolean matches(String stored) {
      return value.equals(stored) || legacy().equals(stored);
    }

    private String legacy() {
      return sha256(profileId + new TreeMap<>(variables));
    }
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
