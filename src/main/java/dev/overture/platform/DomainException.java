package dev.overture.platform;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An expected business failure, thrown by domain code and kept free of HTTP: it names the problem
 * ({@link #type()}, a stable slug such as {@code journey-paused}), says what went wrong in its message,
 * and may carry extra facts (a line and column). Its kind says how bad it is; the problem handler alone
 * turns the kind into an HTTP status.
 */
public abstract sealed class DomainException extends RuntimeException
    permits NotFound, Conflict, Unprocessable, InvalidInput, TooLarge, Unavailable {

  private final String type;
  private final String title;
  private final Map<String, Object> properties = new LinkedHashMap<>();

  protected DomainException(String type, String title, String message) {
    super(message);
    this.type = type;
    this.title = title;
  }

  /** The problem's slug, the last segment of its {@code type} URI; clients branch on it. */
  public String type() {
    return type;
  }

  /** A short summary of the kind of problem, the same for every occurrence of the type. */
  public String title() {
    return title;
  }

  /** Extra facts for the caller, such as where in an expression a parse failed. */
  public Map<String, Object> properties() {
    return Collections.unmodifiableMap(properties);
  }

  /**
   * Whether the request itself is at fault, so sending it again unchanged fails again (an AMQP message goes to the
   * dead-letter queue); false for a failure worth a retry.
   */
  public boolean callersFault() {
    return true;
  }

  /** Adds a fact the caller can act on. */
  public DomainException with(String name, Object value) {
    properties.put(name, value);
    return this;
  }
}
