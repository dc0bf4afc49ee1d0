package dev.overture.delivery.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code overture.experiments.holdout-percent}: the share of all profiles (0 to 100, in steps of 0.01) that
 * receives no marketing message from any journey, so that the journeys' effect can be measured against it.
 */
@ConfigurationProperties("overture.experiments")
public record HoldoutProperties(Double holdoutPercent) {

  public HoldoutProperties {
    holdoutPercent = holdoutPercent == null ? 0.0 : holdoutPercent;
    if (holdoutPercent < 0 || holdoutPercent > 100) {
      throw new IllegalArgumentException("overture.experiments.holdout-percent must be between 0 and 100, got " + holdoutPercent);
    }
  }
}
