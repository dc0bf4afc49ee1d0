package dev.overture.enrollment.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code overture.enrollment.*}: how many profiles one chunk (one transaction) covers, how often an
 * idle worker looks for work, and whether this node runs the worker at all.
 */
@ConfigurationProperties("overture.enrollment")
public record EnrollmentProperties(Integer chunkSize, Duration pollInterval, Boolean workerEnabled) {

  public EnrollmentProperties {
    chunkSize = chunkSize == null ? 250 : chunkSize;
    pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
    workerEnabled = workerEnabled == null || workerEnabled;
  }
}
