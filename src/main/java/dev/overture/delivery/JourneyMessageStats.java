package dev.overture.delivery;

import dev.overture.platform.HourlyCounterFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * What happened to the messages of a journey's Send steps, per BPMN element: from the journey message
 * counters (journey_message_count, V61), which the outbox and the feedback endpoints move when they record
 * an outcome. Scoped like the journey's stats: by version and hour of entry of the instance. An element
 * shows once one of its messages has an outcome (a queued message is not counted yet).
 */
@Service
public class JourneyMessageStats {

  /** One Send step's messages: {@code sent} counts every message a provider accepted, bounced ones included. */
  public record Counts(String elementId, long sent, Map<String, Long> suppressed, long failed, long opened, long clicked,
      long bounced, long unsubscribed) {}

  private static final List<String> OUTCOMES = List.of("sent", "failed", "bounced", "opened", "clicked", "unsubscribed");
  private static final String SUPPRESSED = "suppressed:";

  /** The reason, and its key, of every message of a version in dry run: it walks the journey and sends nothing. */
  public static final String DRY_RUN = "dry-run";

  private final JdbcClient jdbc;

  JourneyMessageStats(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The journey's message counts per element; {@code version}, {@code from} and {@code to} may each be null.
   * The counters are kept per hour of entry, so {@code from} and {@code to} select every hour that overlaps [from, to).
   */
  public List<Counts> of(String journeyKey, Integer version, Instant from, Instant to) {
    HourlyCounterFilter filter = HourlyCounterFilter.of(journeyKey, version, from, to);
    Map<String, long[]> byElement = new TreeMap<>();
    Map<String, Map<String, Long>> suppressed = new TreeMap<>();
    jdbc.sql("SELECT element_id, outcome, SUM(messages) FROM journey_message_count" + filter.where() + " GROUP BY element_id, outcome")
        .params(filter.params())
        .query((rs, n) -> {
          String element = rs.getString(1);
          String outcome = rs.getString(2);
          long[] c = byElement.computeIfAbsent(element, k -> new long[OUTCOMES.size()]);
          if (outcome.startsWith(SUPPRESSED)) {
            suppressed.computeIfAbsent(element, k -> new TreeMap<>()).merge(outcome.substring(SUPPRESSED.length()), rs.getLong(3), Long::sum);
          } else if (OUTCOMES.contains(outcome)) {
            c[OUTCOMES.indexOf(outcome)] += rs.getLong(3);
          }
          return null;
        })
        .list();
    List<Counts> out = new ArrayList<>();
    byElement.forEach((element, c) -> out.add(new Counts(element, c[0], suppressed.getOrDefault(element, Map.of()), c[1], c[3],
        c[4], c[2], c[5])));
    return out;
  }

  /**
   * The dispatcher's suppression reason (a sentence, docs/delivery.md) as a short key, as the counters keep it
   * (V61 spells the same mapping in SQL for the rows before it). An erased profile's rows keep no reason.
   */
  public static String suppressionKey(String reason) {
    if (reason == null) {
      return "unknown";
    }
    if (reason.startsWith("no ") && reason.contains(" consent ")) {
      return "no_consent";
    }
    if (reason.startsWith("profile has no ")) {
      return "no_address";
    }
    if (reason.contains("suppression list")) {
      return "suppression_list";
    }
    if (reason.startsWith("frequency cap")) {
      return "frequency_cap";
    }
    if (reason.startsWith("marketing paused")) {
      return "open_ticket";
    }
    if (reason.startsWith("profile not found")) {
      return "no_profile";
    }
    if (reason.startsWith("no reachable channel")) {
      return "no_reachable_channel";
    }
    if (reason.startsWith(DRY_RUN)) {
      return DRY_RUN;
    }
    if (reason.contains("holdout")) {
      return "holdout";
    }
    return "other";
  }
}
