package dev.overture.platform;

import java.time.Duration;

/**
 * The work could not be done now through no fault of the caller (rows kept changing under it) and nothing was
 * changed: the same request is worth sending again after {@link #retryAfter()}.
 */
public non-sealed class Unavailable extends DomainException {

  private final Duration retryAfter;

  public Unavailable(String type, String title, String message, Duration retryAfter) {
    super(type, title, message);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  @Override
  public boolean callersFault() {
    return false;
  }
}
