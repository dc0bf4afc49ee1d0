package dev.overture.consent;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a message is sent. Marketing needs an explicit grant (opt-in); transactional messages go
 * unless the customer opted out of them on that channel.
 */
public enum Purpose {
  MARKETING, TRANSACTIONAL;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Purpose> fromKey(String key) {
    return Arrays.stream(values()).filter(p -> p.key().equals(key)).findFirst();
  }
}
