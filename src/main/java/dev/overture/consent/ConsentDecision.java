package dev.overture.consent;

/** A send-time consent decision and the ledger entry it rests on (null when none: transactional by default). */
public record ConsentDecision(boolean allowed, Long entryId) {

  /** With no ledger entry: transactional messages go, marketing ones do not. */
  static ConsentDecision byDefault(Purpose purpose) {
    return new ConsentDecision(purpose == Purpose.TRANSACTIONAL, null);
  }
}
