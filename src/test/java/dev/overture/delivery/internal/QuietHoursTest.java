package dev.overture.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Quiet hours in the profile's zone: when a message due now may go. */
class QuietHoursTest {

  private final QuietHours nightly = quietHours(LocalTime.of(21, 0), LocalTime.of(8, 0), null);
  private final Map<String, Object> berlin = Map.of("timezone", "Europe/Berlin");

  @Test
  void threeInTheMorningLocalWaitsUntilEightTheSameDay() {
    Instant now = at("2026-11-23T03:00", "Europe/Berlin");
    assertThat(nightly.deferredUntil("email", berlin, now)).contains(at("2026-11-23T08:00", "Europe/Berlin"));
  }

  @Test
  void tenInTheEveningLocalWaitsUntilEightTheNextDay() {
    Instant now = at("2026-11-23T22:00", "Europe/Berlin");
    assertThat(nightly.deferredUntil("email", berlin, now)).contains(at("2026-11-24T08:00", "Europe/Berlin"));
  }

  @Test
  void daytimeLocalGoesAtOnceEvenWhenItIsNightInUtc() {
    Instant now = at("2026-11-23T10:00", "Pacific/Auckland");
    assertThat(nightly.deferredUntil("sms", Map.of("timezone", "Pacific/Auckland"), now)).isEmpty();
  }

  @Test
  void aWindowWithinOneDayDoesNotWrap() {
    QuietHours lunch = quietHours(LocalTime.of(12, 0), LocalTime.of(14, 0), null);
    assertThat(lunch.deferredUntil("email", berlin, at("2026-11-23T13:00", "Europe/Berlin")))
        .contains(at("2026-11-23T14:00", "Europe/Berlin"));
    assertThat(lunch.deferredUntil("email", berlin, at("2026-11-23T03:00", "Europe/Berlin"))).isEmpty();
  }

  @Test
  void unknownZoneIsNotHeldUnlessADefaultZoneIsConfigured() {
    Instant now = at("2026-11-23T03:00", "Europe/Berlin");
    assertThat(nightly.deferredUntil("email", Map.of(), now)).isEmpty();
    assertThat(nightly.deferredUntil("email", Map.of("timezone", "Not/AZone"), now)).isEmpty();
    QuietHours withDefault = quietHours(LocalTime.of(21, 0), LocalTime.of(8, 0), "Europe/Berlin");
    assertThat(withDefault.deferredUntil("email", Map.of(), now)).contains(at("2026-11-23T08:00", "Europe/Berlin"));
  }

  @Test
  void channelsOutsideTheListAreNeverHeld() {
    assertThat(nightly.deferredUntil("webhook", berlin, at("2026-11-23T03:00", "Europe/Berlin"))).isEmpty();
  }

  private static QuietHours quietHours(LocalTime start, LocalTime end, String defaultZone) {
    return new QuietHours(new GovernanceProperties(Map.of(),
        new GovernanceProperties.QuietHours(true, start, end, defaultZone, List.of("email", "sms", "push"))));
  }

  private static Instant at(String local, String zone) {
    return ZonedDateTime.of(java.time.LocalDateTime.parse(local), ZoneId.of(zone)).toInstant();
  }
}
