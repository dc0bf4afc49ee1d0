package dev.overture.delivery.internal;

import dev.overture.delivery.Delivery;
import dev.overture.delivery.JourneyMessageStats;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The journey message counters (journey_message_count, V61) that the journey stats read instead of the
 * outbox. Each is moved in the transaction that records the outcome, and only by the write that changed
 * the row (a claimed row taking its final state, a sent row bouncing, the first open, click or
 * unsubscribe of a message), so a rolled-back or repeated write never counts twice. Rows outside a
 * journey, of an instance the journey log no longer has, or of a test profile's instance, are not counted.
 */
@Component
class MessageCounters {

  /** The first open, click or unsubscribe of a message: the outbox column that marks it. */
  private static final Map<String, String> FIRST = Map.of("opened", "opened_at", "clicked", "clicked_at",
      "unsubscribed", "unsubscribed_at");

  private final JdbcClient jdbc;

  MessageCounters(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The final states that took effect (sent, bounced, failed, suppressed with its reason key); in the caller's transaction. */
  void finished(List<FinalState> taken) {
    Map<String, List<String>> byOutcome = new TreeMap<>();
    for (FinalState f : taken) {
      if (f.delivery().journeyKey() == null || f.delivery().activityId() == null) {
        continue;
      }
      String outcome = Delivery.SUPPRESSED.equals(f.status()) ? "suppressed:" + JourneyMessageStats.suppressionKey(f.reason()) : f.status();
      byOutcome.computeIfAbsent(outcome, k -> new ArrayList<>()).add(f.delivery().id());
      if (Delivery.BOUNCED.equals(f.status())) {
        // refused at the provider's door: it reached the provider, so it is sent as well (sent counts bounced ones)
        byOutcome.computeIfAbsent(Delivery.SENT, k -> new ArrayList<>()).add(f.delivery().id());
      }
    }
    byOutcome.forEach(this::add);
  }

  /** A message suppressed when its row was written (it never was pending); in the caller's transaction. */
  void suppressedAtStep(String outboxId, String reason) {
    add("suppressed:" + JourneyMessageStats.suppressionKey(reason), List.of(outboxId));
  }

  /** A sent message bounced; in the caller's transaction, after the status change took effect. */
  void bounced(String outboxId) {
    add("bounced", List.of(outboxId));
  }

  /**
   * Marks the message's first {@code opened}, {@code clicked} or {@code unsubscribed} and counts it; false
   * (nothing counted) for a repeat, a message not sent, or another outcome. In the caller's transaction.
   */
  boolean first(String outboxId, String outcome) {
    String column = FIRST.get(outcome);
    if (column == null) {
      return false;
    }
    int marked = jdbc.sql("UPDATE outbox_message SET " + column + " = ? WHERE id = ? AND " + column + " IS NULL "
            + "AND status IN ('sent', 'bounced') AND journey_key IS NOT NULL AND activity_id IS NOT NULL")
        .params(Timestamp.from(Instant.now()), outboxId).update();
    if (marked == 1) {
      add(outcome, List.of(outboxId));
    }
    return marked == 1;
  }

  /** One statement per outcome: the rows' counters by version and hour of entry, taken from journey_run. */
  private void add(String outcome, Collection<String> outboxIds) {
    jdbc.sql("INSERT INTO journey_message_count (journey_key, version, element_id, entered_hour, outcome, messages) "
            + "SELECT o.journey_key, r.version, o.activity_id, DATE_FORMAT(r.started_at, '%Y-%m-%d %H:00:00'), :outcome, COUNT(*) "
            + "FROM outbox_message o JOIN journey_run r ON r.instance_id = o.process_instance_id AND r.test = 0 "
            + "WHERE o.id IN (:ids) AND o.journey_key IS NOT NULL AND o.activity_id IS NOT NULL "
            + "GROUP BY o.journey_key, r.version, o.activity_id, 4 ORDER BY o.journey_key, r.version, o.activity_id, 4 "
            + "ON DUPLICATE KEY UPDATE messages = messages + VALUES(messages)")
        .param("outcome", outcome).param("ids", outboxIds.stream().collect(Collectors.toSet())).update();
  }
}
