package dev.overture.platform;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The WHERE clause and parameters that select a journey's rows in a counter table kept per hour of entry
 * ({@code journey_key}, {@code version}, {@code entered_hour}). {@code version}, {@code from} and
 * {@code to} may each be null; {@code from} and {@code to} select every hour that overlaps [from, to).
 */
public record HourlyCounterFilter(String where, Map<String, Object> params) {

  public static HourlyCounterFilter of(String journeyKey, Integer version, Instant from, Instant to) {
    StringBuilder where = new StringBuilder(" WHERE journey_key = :key");
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("key", journeyKey);
    if (version != null) {
      where.append(" AND version = :version");
      params.put("version", version);
    }
    if (from != null) {
      where.append(" AND entered_hour >= :from");
      params.put("from", LocalDateTime.ofInstant(from, ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS));
    }
    if (to != null) {
      where.append(" AND entered_hour < :to");
      params.put("to", LocalDateTime.ofInstant(to, ZoneOffset.UTC));
    }
    return new HourlyCounterFilter(where.toString(), params);
  }
}
