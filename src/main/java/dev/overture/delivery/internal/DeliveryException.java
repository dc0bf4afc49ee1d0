package dev.overture.delivery.internal;

/** A provider refused or could not take a message; {@code transientFailure} says whether a retry may help. */
public class DeliveryException extends Exception {

  private final boolean transientFailure;

  public DeliveryException(String message, boolean transientFailure, Throwable cause) {
    super(message, cause);
    this.transientFailure = transientFailure;
  }

  public boolean isTransient() {
    return transientFailure;
  }
}
