package dev.overture.delivery.internal;

import dev.overture.delivery.Delivery;
import dev.overture.delivery.EngagementWaits;
import dev.overture.delivery.Engagements;
import dev.overture.platform.AfterCommit;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tells {@link EngagementWaits} of the outcomes that end a wait for engagement, once the outcome is recorded: the
 * first open, click or unsubscribe of a journey message (its mark in the outbox is the once), a bounce and a complaint. Nothing
 * is read while no deployed journey waits for engagement, so outcomes cost what they did before.
 */
@Component
class EngagementSignals {

  private static final Logger log = LoggerFactory.getLogger(EngagementSignals.class);
  /** The provider's complaint: an unsubscribe by other means, so the split answers unsubscribed for it. */
  static final String COMPLAINED = "complained";
  /** The outcomes that end a wait without a first-of-its-kind mark in the outbox: rare, and each told again on a repeat. */
  static final Set<String> UNMARKED = Set.of(Engagements.BOUNCED, COMPLAINED);
  private static final Set<String> ENDS_WAIT = Set.of(Engagements.OPENED, Engagements.CLICKED, Engagements.UNSUBSCRIBED,
      Engagements.BOUNCED, COMPLAINED);

  private final ObjectProvider<EngagementWaits> waits;
  private final JdbcClient jdbc;

  EngagementSignals(ObjectProvider<EngagementWaits> waits, JdbcClient jdbc) {
    this.waits = waits;
    this.jdbc = jdbc;
  }

  /** An outcome of the message {@code outboxId}, recorded outside the dispatcher (a tracking hit, provider feedback). */
  void recorded(String outboxId, String outcome) {
    EngagementWaits w = listening(outcome);
    if (w == null) {
      return;
    }
    jdbc.sql("SELECT process_instance_id, activity_id FROM outbox_message WHERE id = ? "
            + "AND process_instance_id IS NOT NULL AND activity_id IS NOT NULL")
        .param(outboxId).query((rs, n) -> List.of(rs.getString(1), rs.getString(2))).optional()
        .ifPresent(step -> tell(w, step.get(0), step.get(1), COMPLAINED.equals(outcome) ? Engagements.UNSUBSCRIBED : outcome));
  }

  /** Final states the dispatcher wrote (a provider refusing the address at once bounces); in the writer's transaction. */
  void finished(List<FinalState> finals) {
    List<Delivery> bounced = finals.stream().filter(f -> Delivery.BOUNCED.equals(f.status())).map(FinalState::delivery)
        .filter(d -> d.processInstanceId() != null && d.activityId() != null).toList();
    EngagementWaits w = bounced.isEmpty() ? null : listening(Engagements.BOUNCED);
    if (w != null) {
      bounced.forEach(d -> tell(w, d.processInstanceId(), d.activityId(), Engagements.BOUNCED));
    }
  }

  private EngagementWaits listening(String outcome) {
    if (!ENDS_WAIT.contains(outcome)) {
      return null;
    }
    EngagementWaits w = waits.getIfAvailable();
    return w != null && w.anyWaits() ? w : null;
  }

  /** After the outcome's transaction committed, so that the wait's end never rolls back what was recorded. */
  private void tell(EngagementWaits w, String processInstanceId, String stepId, String outcome) {
    Runnable told = () -> {
      try {
        w.engaged(processInstanceId, stepId, outcome);
      } catch (RuntimeException e) {
        log.warn("Instance {} could not be told that step {}'s message was {}: {}", processInstanceId, stepId, outcome, e.toString());
      }
    };
    AfterCommit.run(told);
  }
}
