package dev.overture.platform;

/** A well-formed request that refers to something unusable (an unknown profile, an invalid expression). */
public non-sealed class Unprocessable extends DomainException {

  public Unprocessable(String type, String message) {
    super(type, "Request cannot be processed", message);
  }
}
