package dev.overture.profile;

import dev.overture.platform.InvalidInput;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The kinds of identity that point at a profile, each with its normal form. */
public enum IdentityType {
  EMAIL("email") {
    private final Pattern valid = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    @Override
    String normalise(String raw) {
      String v = raw.trim().toLowerCase(Locale.ROOT);
      if (!valid.matcher(v).matches() || v.length() > 320) {
        throw new IllegalArgumentException("email '" + raw + "' is not an email address");
      }
      return v;
    }
  },
  PHONE("phone") {
    private final Pattern e164 = Pattern.compile("^\\+[1-9][0-9]{6,14}$");

    @Override
    String normalise(String raw) {
      String v = raw.replaceAll("[\\s().-]", "");
      if (!e164.matcher(v).matches()) {
        throw new IllegalArgumentException("phone '" + raw + "' is not an E.164 number such as +4915112345678");
      }
      return v;
    }
  },
  EXTERNAL_ID("externalId"),
  ANONYMOUS_ID("anonymousId"),
  /** A push token of one app install (APNs/FCM); long, opaque, case-sensitive. */
  DEVICE_TOKEN("deviceToken") {
    @Override
    String normalise(String raw) {
      String v = raw.trim();
      if (v.isEmpty() || v.length() > 320 || v.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("deviceToken must have 1 to 320 characters and no spaces");
      }
      return v;
    }
  };

  private final String key;

  IdentityType(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  String normalise(String raw) {
    String v = raw.trim();
    if (v.isEmpty() || v.length() > 200) {
      throw new IllegalArgumentException(key + " must have 1 to 200 characters");
    }
    return v;
  }

  public static Optional<IdentityType> fromKey(String key) {
    return Arrays.stream(values()).filter(t -> t.key.equals(key)).findFirst();
  }

  /** Identity key → raw value as a caller sent it, to the normal forms; blank values dropped, at least one required. */
  static Map<IdentityType, String> normaliseAll(Map<String, String> identities) {
    if (identities == null || identities.values().stream().allMatch(v -> v == null || v.isBlank())) {
      throw new InvalidInput("missing-identity", "At least one identity is required: email, phone, externalId, anonymousId or deviceToken");
    }
    Map<IdentityType, String> out = new LinkedHashMap<>();
    identities.forEach((key, value) -> {
      if (value == null || value.isBlank()) {
        return;
      }
      IdentityType type = IdentityType.fromKey(key).orElseThrow(() -> new InvalidInput("unknown-identity-type",
          "Unknown identity type '" + key + "'; use email, phone, externalId, anonymousId or deviceToken"));
      try {
        out.put(type, type.normalise(value));
      } catch (IllegalArgumentException e) {
        throw new InvalidInput("invalid-identity", e.getMessage());
      }
    });
    return out;
  }
}
