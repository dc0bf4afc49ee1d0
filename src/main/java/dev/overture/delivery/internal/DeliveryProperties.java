package dev.overture.delivery.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code overture.delivery.*}: how the outbox is polled (threads, batch, lease, how old a batch's
 * governance reads may get, how many outcomes are written per transaction), how hard a failing
 * provider is retried, and each channel's provider (URL, credentials, messages per second, or
 * {@code provider: file} for the file outbox). Where each channel's messages go: {@link dev.overture.delivery.ChannelProviders}.
 */
@ConfigurationProperties("overture.delivery")
public record DeliveryProperties(
    String outboxDir, Duration pollInterval, Integer batchSize, Integer maxAttempts, Duration retryBase,
    Duration retryMax, Duration claimLease, Integer threads, Duration rateLimitWait, Email email, Provider sms,
    Provider push, Provider webhook, Provider audience, Tracking tracking, Creatives creatives, Duration lookupMaxAge,
    Integer outcomeBatchSize) {

  public DeliveryProperties {
    outboxDir = outboxDir == null ? "./data/outbox" : outboxDir;
    pollInterval = pollInterval == null ? Duration.ofMillis(500) : pollInterval;
    batchSize = batchSize == null ? 50 : batchSize;
    maxAttempts = maxAttempts == null ? 8 : maxAttempts;
    retryBase = retryBase == null ? Duration.ofSeconds(10) : retryBase;
    retryMax = retryMax == null ? Duration.ofHours(1) : retryMax;
    claimLease = claimLease == null ? Duration.ofMinutes(2) : claimLease;
    threads = threads == null || threads < 1 ? 4 : threads;
    rateLimitWait = rateLimitWait == null ? Duration.ofSeconds(5) : rateLimitWait;
    email = email == null ? new Email(null, null, null) : email;
    sms = sms == null ? new Provider(null, null, null, null, null) : sms;
    push = push == null ? new Provider(null, null, null, null, null) : push;
    webhook = webhook == null ? new Provider(null, null, null, null, null) : webhook;
    audience = audience == null ? new Provider(null, null, null, null, null) : audience;
    tracking = tracking == null ? new Tracking(null, null) : tracking;
    creatives = creatives == null ? new Creatives(null, null) : creatives;
    lookupMaxAge = lookupMaxAge == null ? Duration.ofSeconds(1) : lookupMaxAge;
    outcomeBatchSize = outcomeBatchSize == null || outcomeBatchSize < 1 ? 200 : outcomeBatchSize;
  }

  /** Email: SMTP with Spring Boot's {@code spring.mail.*}; {@code provider}: {@code smtp}, {@code file} or unset. */
  public record Email(String from, Double ratePerSecond, String provider) {
    public Email {
      from = from == null ? "Overture <no-reply@overture.local>" : from;
    }
  }

  /**
   * An HTTP provider: {@code url}; {@code token} sent as Bearer; {@code secret} signs webhooks; {@code provider}:
   * {@code http}, {@code file} or unset.
   */
  public record Provider(String url, String token, String secret, Double ratePerSecond, String provider) {}

  /** Links in messages: the public base URL of this app, and the HMAC key for tracking tokens. */
  public record Tracking(String baseUrl, String secret) {
    public Tracking {
      baseUrl = baseUrl == null || baseUrl.isBlank() ? "http://localhost:8080" : baseUrl.replaceAll("/+$", "");
    }
  }

  /**
   * The Camunda group whose members may approve creatives over the API, and the currency that
   * {@code {{#money}}} shows when neither the template nor the event's {@code currency} names one.
   */
  public record Creatives(String approverGroup, String defaultCurrency) {
    public Creatives {
      approverGroup = approverGroup == null || approverGroup.isBlank() ? "creative-approvers" : approverGroup;
      defaultCurrency = defaultCurrency == null || defaultCurrency.isBlank() ? "EUR" : defaultCurrency;
    }
  }
}
