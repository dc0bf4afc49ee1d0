package dev.overture.consent;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A channel Overture can reach a customer on. */
public enum Channel {
  EMAIL, SMS, PUSH, WEBHOOK, AUDIENCE;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Channel> fromKey(String key) {
    return Arrays.stream(values()).filter(c -> c.key().equals(key)).findFirst();
  }
}
