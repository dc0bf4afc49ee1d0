package dev.overture.journey;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * When a profile may enter a journey again, from the process's {@code overture:reentry} extension
 * property: {@code always}, {@code never}, or {@code after:P30D} (not while active, and only once
 * the duration has passed since the last entry). Without the property: not while an instance is active.
 */
public record ReentryRule(Kind kind, Duration after) {

  public static final String PROPERTY = "overture:reentry";

  /** The kinds of rule. */
  public enum Kind { ALWAYS, NEVER, AFTER, NOT_WHILE_ACTIVE }

  public static final ReentryRule DEFAULT = new ReentryRule(Kind.NOT_WHILE_ACTIVE, Duration.ZERO);

  /** Parses the property value; a blank value is the default, anything else unknown is an error. */
  public static ReentryRule parse(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("always")) {
      return new ReentryRule(Kind.ALWAYS, Duration.ZERO);
    }
    if (v.equals("never")) {
      return new ReentryRule(Kind.NEVER, Duration.ZERO);
    }
    if (v.startsWith("after:")) {
      try {
        return new ReentryRule(Kind.AFTER, Duration.parse(value.trim().substring(6).toUpperCase(Locale.ROOT)));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("overture:reentry '" + value + "' needs an ISO duration, e.g. after:P30D");
      }
    }
    throw new IllegalArgumentException("overture:reentry '" + value + "' is not always, never or after:<ISO duration>");
  }

  /**
   * The rule as the catalog shows it: the property value as a modeler writes it ({@code always}, {@code never},
   * {@code after:P7D}), or {@code not-while-active} for the default.
   */
  public String value() {
    return switch (kind) {
      case ALWAYS -> "always";
      case NEVER -> "never";
      case AFTER -> "after:" + (after.equals(Duration.ofDays(after.toDays())) ? "P" + after.toDays() + "D" : after.toString());
      case NOT_WHILE_ACTIVE -> "not-while-active";
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case ALWAYS -> "always";
      case NEVER -> "never";
      case AFTER -> "after:" + after;
      case NOT_WHILE_ACTIVE -> "one active instance at a time";
    };
  }
}
