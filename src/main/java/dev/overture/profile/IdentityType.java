package dev.overture.profile;

import java.util.Arrays;
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
  DEVICE_TOKEN("deviceToken");

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
}
