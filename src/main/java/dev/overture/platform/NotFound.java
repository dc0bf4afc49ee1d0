package dev.overture.platform;

/** The thing asked for does not exist (type {@code <what>-not-found}). */
public non-sealed class NotFound extends DomainException {

  /** {@code what} is the thing's name in the slug, e.g. {@code journey} for {@code journey-not-found}. */
  public NotFound(String what, String message) {
    super(what + "-not-found", Character.toUpperCase(what.charAt(0)) + what.substring(1) + " not found", message);
  }
}
