package dev.overture.delivery;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code overture.actions.*}: the APIs a journey's "Call an API" step may call, by name
 * ({@code endpoints.<name>}: base URL, headers whose values such as secrets live only here, timeout, calls per second
 * for the whole cluster), how often a failing call is tried ({@code max-attempts}, with backoff from {@code retry-base}
 * to {@code retry-max}), and the worker that makes the calls ({@code threads}, {@code poll-interval}).
 */
@ConfigurationProperties("overture.actions")
public record ActionProperties(Map<String, Endpoint> endpoints, Integer maxAttempts, Duration retryBase, Duration retryMax,
    Integer threads, Duration pollInterval) {

  public ActionProperties {
    endpoints = endpoints == null ? Map.of() : Map.copyOf(endpoints);
    maxAttempts = maxAttempts == null || maxAttempts < 1 ? 5 : maxAttempts;
    retryBase = retryBase == null ? Duration.ofSeconds(2) : retryBase;
    retryMax = retryMax == null ? Duration.ofMinutes(5) : retryMax;
    threads = threads == null || threads < 1 ? 2 : threads;
    pollInterval = pollInterval == null ? Duration.ofSeconds(5) : pollInterval;
  }

  /** One allowed API: every call goes to {@code baseUrl} + the step's path, with these headers, within {@code timeout}. */
  public record Endpoint(String baseUrl, Map<String, String> headers, Duration timeout, Double ratePerSecond) {
    public Endpoint {
      headers = headers == null ? Map.of() : Map.copyOf(headers);
      timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    }
  }
}
