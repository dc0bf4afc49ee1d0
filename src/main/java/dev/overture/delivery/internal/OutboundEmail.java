package dev.overture.delivery.internal;

/** An email ready to go: the outbox id doubles as the Message-ID, so a resend is recognisable. */
public record OutboundEmail(String outboxId, String from, String to, String subject, String text, String html) {

  public String messageId() {
    return "<" + outboxId + "@overture>";
  }
}
