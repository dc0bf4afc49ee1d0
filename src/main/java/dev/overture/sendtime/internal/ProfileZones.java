package dev.overture.sendtime.internal;

import dev.overture.profile.Profile;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A profile's time zone as quiet hours and the local-time wait read it: attribute {@code timezone}, else UTC. */
public final class ProfileZones {

  private ProfileZones() {}

  public static ZoneId of(Profile profile) {
    Object tz = profile == null || profile.attributes() == null ? null : profile.attributes().get("timezone");
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
