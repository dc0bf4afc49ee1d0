package dev.overture.delivery.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Quiet hours in the profile's time zone: a marketing message due inside the window waits until
 * the window ends (its due time moves; it is not dropped). The window may wrap midnight (21:00–08:00).
 */
@Component
public class QuietHours {

  static final String TIME_ZONE_ATTRIBUTE = "timezone";

  private final GovernanceProperties.QuietHours props;

  QuietHours(GovernanceProperties props) {
    this.props = props.quietHours();
  }

  /** When the message may go, if not now. */
  public Optional<Instant> deferredUntil(String channel, Map<String, Object> attributes, Instant now) {
    if (!props.enabled() || !props.channels().contains(channel)) {
      return Optional.empty();
    }
    Optional<ZoneId> zone = zoneOf(attributes);
    if (zone.isEmpty()) {
      return Optional.empty();
    }
    ZonedDateTime local = now.atZone(zone.get());
    LocalTime t = local.toLocalTime();
    LocalTime start = props.start();
    LocalTime end = props.end();
    boolean wraps = start.isAfter(end);
    boolean quiet = wraps ? !t.isBefore(start) || t.isBefore(end) : !t.isBefore(start) && t.isBefore(end);
    if (!quiet) {
      return Optional.empty();
    }
    ZonedDateTime opens = local.with(end).withSecond(0).withNano(0);
    if (!opens.isAfter(local)) {
      opens = opens.plusDays(1);
    }
    return Optional.of(opens.toInstant());
  }

  private Optional<ZoneId> zoneOf(Map<String, Object> attributes) {
    Object value = attributes.get(TIME_ZONE_ATTRIBUTE);
    String id = value != null && !value.toString().isBlank() ? value.toString() : props.defaultTimeZone();
    if (id == null || id.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ZoneId.of(id));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }
}
