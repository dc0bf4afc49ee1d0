package dev.overture.delivery.internal;

import dev.overture.delivery.Delivery;

/**
 * The final state of one claimed outbox row, as the dispatcher decided it; {@code test}: the message was a test
 * profile's, which counts in no metric.
 */
public record FinalState(Delivery delivery, String status, String reason, String recipient, Integer creativeVersion,
    Long consentEntryId, boolean test) {

  public FinalState(Delivery delivery, String status, String reason, String recipient, Integer creativeVersion,
      Long consentEntryId) {
    this(delivery, status, reason, recipient, creativeVersion, consentEntryId, false);
  }
}
