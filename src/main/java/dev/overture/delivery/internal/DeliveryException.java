package dev.overture.delivery.internal;

/**
 * A provider refused or could not take a message; {@code transientFailure} says whether a retry may
 * help, {@code hardBounce} that the address itself is dead (it goes on the suppression list).
 */
public class DeliveryException extends Exception {

  private final boolean transientFailure;
  private final boolean hardBounce;

  public DeliveryException(String message, boolean transientFailure, Throwable cause) {
    this(message, transientFailure, false, cause);
  }

  public DeliveryException(String message, boolean transientFailure, boolean hardBounce, Throwable cause) {
    super(message, cause);
    this.transientFailure = transientFailure;
    this.hardBounce = hardBounce;
  }

  public boolean isTransient() {
    return transientFailure;
  }

  public boolean isHardBounce() {
    return hardBounce;
  }
}
