package dev.overture.delivery.internal;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code overture.governance.*}: marketing frequency caps per channel over a rolling window, and
 * quiet hours in the profile's time zone (attribute {@code timezone}, else {@code default-time-zone};
 * a profile whose zone is unknown is not held back).
 */
@ConfigurationProperties("overture.governance")
public record GovernanceProperties(Map<String, Cap> frequencyCap, QuietHours quietHours) {

  public GovernanceProperties {
    frequencyCap = frequencyCap == null ? Map.of() : frequencyCap;
    quietHours = quietHours == null ? new QuietHours(null, null, null, null, null) : quietHours;
  }

  /** At most {@code max} marketing messages per profile on the channel within {@code window}. */
  public record Cap(Integer max, Duration window) {}

  public record QuietHours(Boolean enabled, LocalTime start, LocalTime end, String defaultTimeZone, List<String> channels) {
    public QuietHours {
      enabled = enabled == null || enabled;
      start = start == null ? LocalTime.of(21, 0) : start;
      end = end == null ? LocalTime.of(8, 0) : end;
      channels = channels == null ? List.of("email", "sms", "push") : channels;
    }
  }
}
