package dev.overture.delivery.internal;

/**
 * A provider refused or could not take a message; {@code transientFailure} says whether a retry may
 * help, {@code hardBounce} that the address itself is dead (it goes on the suppression list).
 */
public class DeliveryException extends Exception {

  private final boolean transientFailure;
  private final boolean hardBounce;
  private final Integer providerStatus;
  private java.time.Duration retryAfter;

  public DeliveryException(String message, boolean transientFailure, Throwable cause) {
    this(message, transientFailure, false, cause);
  }

  public DeliveryException(String message, boolean transientFailure, boolean hardBounce, Throwable cause) {
    this(message, transientFailure, hardBounce, null, cause);
  }

  /** As above, with the HTTP status an HTTP provider answered. */
  public DeliveryException(String message, boolean transientFailure, boolean hardBounce, Integer providerStatus, Throwable cause) {
    super(message, cause);
    this.transientFailure = transientFailure;
    this.hardBounce = hardBounce;
    this.providerStatus = providerStatus;
  }

  /** The HTTP status of an HTTP provider's refusal; null for SMTP, I/O and the file outbox. */
  public Integer providerStatus() {
    return providerStatus;
  }

  /** How long the provider asked to be left alone ({@code Retry-After}); null when it did not say. */
  public java.time.Duration retryAfter() {
    return retryAfter;
  }

  /** This failure, with the wait the provider asked for; null leaves it to the backoff. */
  public DeliveryException retryAfter(java.time.Duration wait) {
    this.retryAfter = wait;
    return this;
  }

  public boolean isTransient() {
    return transientFailure;
  }

  public boolean isHardBounce() {
    return hardBounce;
  }
}
