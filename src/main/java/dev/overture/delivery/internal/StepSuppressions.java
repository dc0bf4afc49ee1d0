package dev.overture.delivery.internal;

import dev.overture.consent.Purpose;
import dev.overture.delivery.Origin;
import dev.overture.platform.AfterCommit;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A message that a journey step decides not to send at all (its instance is a dry run): the outbox keeps it as
 * suppressed with its reason, so the journey's message stats count it per step, and no dispatcher ever sees it.
 */
@Component
public class StepSuppressions {

  private final OutboxRecords outbox;
  private final MessageCounters counters;
  private final TransactionTemplate tx;

  StepSuppressions(OutboxRecords outbox, MessageCounters counters, TransactionTemplate tx) {
    this.outbox = outbox;
    this.counters = counters;
    this.tx = tx;
  }

  /**
   * Writes the suppressed row in the step's transaction; counts it once that committed, because the counter is
   * keyed by the instance's journey_run row, which the journey log writes just before the commit of the instance's
   * first transaction.
   */
  public String suppress(String profileId, String channel, Purpose purpose, String creativeKey, Origin origin, String reason) {
    String id = outbox.insertSuppressed(profileId, channel, purpose, creativeKey, origin, reason);
    AfterCommit.run(() -> tx.executeWithoutResult(s -> counters.suppressedAtStep(id, reason)));
    return id;
  }
}
