package dev.overture.experiment.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code overture.experiments.minimum-sample}: the profiles every arm of an experiment needs before the
 * results name a winner (default 100), and the auto-winner rule's sample when its split names none.
 * {@code overture.experiments.auto-winner-interval}: how often each node reads the auto-winner decisions and decides
 * the experiments it watches (default 30 s). The holdout percentage under the same prefix belongs to delivery.
 */
@ConfigurationProperties("overture.experiments")
public record ExperimentsProperties(Integer minimumSample, Duration autoWinnerInterval) {

  public ExperimentsProperties {
    minimumSample = minimumSample == null ? 100 : minimumSample;
    autoWinnerInterval = autoWinnerInterval == null ? Duration.ofSeconds(30) : autoWinnerInterval;
  }
}
