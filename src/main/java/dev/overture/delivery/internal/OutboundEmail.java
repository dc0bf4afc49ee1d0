package dev.overture.delivery.internal;

/**
 * An email ready to go: the outbox id doubles as the Message-ID, so a resend is recognisable;
 * {@code unsubscribeUrl} (marketing only) becomes the RFC 8058 one-click List-Unsubscribe header.
 */
public record OutboundEmail(String outboxId, String from, String to, String subject, String text, String html,
    String unsubscribeUrl) {

  public OutboundEmail(String outboxId, String from, String to, String subject, String text, String html) {
    this(outboxId, from, to, subject, text, html, null);
  }

  public String messageId() {
    return "<" + outboxId + "@overture>";
  }
}
