package dev.overture.platform;

/** A request or one of its parts is bigger than the limit that protects the node (a batch, an event's properties). */
public non-sealed class TooLarge extends DomainException {

  public TooLarge(String type, String title, String message) {
    super(type, title, message);
  }
}
