package dev.overture.platform;

/** The request clashes with the current state (a taken key, a paused journey, a concurrent edit). */
public non-sealed class Conflict extends DomainException {

  public Conflict(String type, String message) {
    this(type, "Conflict", message);
  }

  protected Conflict(String type, String title, String message) {
    super(type, title, message);
  }
}
