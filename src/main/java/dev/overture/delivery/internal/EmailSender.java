package dev.overture.delivery.internal;

/** Sends one email; SMTP or the file outbox, chosen by configuration. */
public interface EmailSender {

  void send(OutboundEmail email) throws DeliveryException;
}
