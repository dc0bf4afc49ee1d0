package dev.overture.platform;

/** Input that breaks a rule Bean Validation cannot declare (a cross-field rule, a template that does not compile). */
public non-sealed class InvalidInput extends DomainException {

  public InvalidInput(String type, String message) {
    super(type, "Bad request", message);
  }
}
