package dev.overture.sendtime.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The send-time model's knobs: {@code min-confidence}, below which a best-time wait takes its fallback hour;
 * {@code prior-strength}, how many engagements the population's habits count for in a profile's model; and how old
 * the population's sums may grow before they are summed again.
 */
@ConfigurationProperties("overture.send-time")
public record SendTimeProperties(Double minConfidence, Double priorStrength, Duration populationMaxAge) {

  public SendTimeProperties {
    minConfidence = minConfidence == null ? 0.15 : minConfidence;
    priorStrength = priorStrength == null ? 5.0 : priorStrength;
    populationMaxAge = populationMaxAge == null ? Duration.ofMinutes(10) : populationMaxAge;
  }
}
