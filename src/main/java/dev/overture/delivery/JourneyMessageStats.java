package dev.overture.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * What happened to the messages of a journey's Send steps, per BPMN element: from the outbox (one row
 * per message, naming its journey, instance and activity), its suppression reasons, and the outcome
 * events that tracking and unsubscribe links record ({@code message.opened} etc., keyed by outbox id).
 * Scoped like the journey's stats: by version and entry time, through the journey log's journey_run.
 */
@Service
public class JourneyMessageStats {

  /** One Send step's messages: {@code sent} counts every message a provider accepted, bounced ones included. */
  public record Counts(String elementId, long sent, Map<String, Long> suppressed, long failed, long opened, long clicked,
      long bounced, long unsubscribed) {}

  private final JdbcClient jdbc;

  JourneyMessageStats(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The journey's message counts per element; {@code version}, {@code from} and {@code to} (entry time of
   * the instance, from inclusive, to exclusive) may each be null. With any of them, only messages of
   * instances the journey log still has count (an erased profile's are gone from it).
   */
  public List<Counts> of(String journeyKey, Integer version, Instant from, Instant to) {
    boolean scoped = version != null || from != null || to != null;
    String join = scoped ? " JOIN journey_run r ON r.instance_id = o.process_instance_id" : "";
    StringBuilder where = new StringBuilder(" WHERE o.journey_key = :key AND o.activity_id IS NOT NULL");
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("key", journeyKey);
    if (version != null) {
      where.append(" AND r.version = :version");
      params.put("version", version);
    }
    if (from != null) {
      where.append(" AND r.started_at >= :from");
      params.put("from", java.time.LocalDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
    }
    if (to != null) {
      where.append(" AND r.started_at < :to");
      params.put("to", java.time.LocalDateTime.ofInstant(to, java.time.ZoneOffset.UTC));
    }
    Map<String, long[]> byElement = new TreeMap<>();
    jdbc.sql("SELECT o.activity_id, SUM(o.status IN ('sent', 'bounced')), SUM(o.status = 'failed'), SUM(o.status = 'bounced'), "
            + "SUM(o.status IN ('sent', 'bounced') AND EXISTS (SELECT 1 FROM customer_event e WHERE e.event_id = CONCAT(o.id, ':opened'))), "
            + "SUM(o.status IN ('sent', 'bounced') AND EXISTS (SELECT 1 FROM customer_event e WHERE e.event_id LIKE CONCAT(o.id, ':clicked%'))), "
            + "SUM(o.status IN ('sent', 'bounced') AND EXISTS (SELECT 1 FROM customer_event e WHERE e.event_id = CONCAT(o.id, ':unsubscribed'))) "
            + "FROM outbox_message o" + join + where + " GROUP BY o.activity_id")
        .params(params)
        .query((rs, n) -> byElement.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
            rs.getLong(6), rs.getLong(7)}))
        .list();
    Map<String, Map<String, Long>> suppressed = new TreeMap<>();
    jdbc.sql("SELECT o.activity_id, o.reason, COUNT(*) FROM outbox_message o" + join + where + " AND o.status = 'suppressed' "
            + "GROUP BY o.activity_id, o.reason")
        .params(params)
        .query((rs, n) -> suppressed.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
            .merge(suppressionKey(rs.getString(2)), rs.getLong(3), Long::sum))
        .list();
    suppressed.keySet().forEach(element -> byElement.computeIfAbsent(element, k -> new long[6]));
    List<Counts> out = new ArrayList<>();
    byElement.forEach((element, c) -> out.add(new Counts(element, c[0], suppressed.getOrDefault(element, Map.of()), c[1], c[3],
        c[4], c[2], c[5])));
    return out;
  }

  /**
   * The dispatcher's suppression reason (a sentence, docs/delivery.md) as a short key. An erased
   * profile's rows keep no reason.
   */
  static String suppressionKey(String reason) {
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
    if (reason.contains("holdout")) {
      return "holdout";
    }
    return "other";
  }
}
