package dev.overture.delivery.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code overture.delivery.*}: how often the outbox is polled, how hard a failing provider is retried. */
@ConfigurationProperties("overture.delivery")
public record DeliveryProperties(
    String outboxDir, Duration pollInterval, Integer batchSize, Integer maxAttempts, Duration retryBase,
    Duration retryMax, Duration claimLease, Email email) {

  public DeliveryProperties {
    outboxDir = outboxDir == null ? "./data/outbox" : outboxDir;
    pollInterval = pollInterval == null ? Duration.ofMillis(500) : pollInterval;
    batchSize = batchSize == null ? 50 : batchSize;
    maxAttempts = maxAttempts == null ? 8 : maxAttempts;
    retryBase = retryBase == null ? Duration.ofSeconds(10) : retryBase;
    retryMax = retryMax == null ? Duration.ofHours(1) : retryMax;
    claimLease = claimLease == null ? Duration.ofMinutes(2) : claimLease;
    email = email == null ? new Email(null) : email;
  }

  public record Email(String from) {
    public Email {
      from = from == null ? "Overture <no-reply@overture.local>" : from;
    }
  }
}
