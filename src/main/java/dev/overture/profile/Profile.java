package dev.overture.profile;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

/** A customer: its identities (type → value) and free-form attributes. */
public record Profile(
    String id, Map<String, String> identities, Map<String, Object> attributes, Instant createdAt, Instant updatedAt) {

  public String email() {
    return identities.get(IdentityType.EMAIL.key());
  }

  /**
   * The profile's time zone as local-time waits and the send-time model read it: attribute {@code timezone} (an IANA
   * zone), UTC when it is absent or names no zone.
   */
  public ZoneId timeZone() {
    Object tz = attributes == null ? null : attributes.get("timezone");
    if (tz == null || tz.toString().isBlank()) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(tz.toString());
    } catch (DateTimeException e) {
      return ZoneOffset.UTC;
    }
  }
}
