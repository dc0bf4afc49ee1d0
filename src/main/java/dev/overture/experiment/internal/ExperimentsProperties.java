package dev.overture.experiment.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code overture.experiments.minimum-sample}: the profiles every arm of an experiment needs before the
 * results name a winner (default 100). The holdout percentage under the same prefix belongs to delivery.
 */
@ConfigurationProperties("overture.experiments")
public record ExperimentsProperties(Integer minimumSample) {

  public ExperimentsProperties {
    minimumSample = minimumSample == null ? 100 : minimumSample;
  }
}
