package dev.overture.delivery.internal;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Per-channel messages per second ({@code overture.delivery.<channel>.rate-per-second}), shared by
 * all dispatcher threads of this node, with Resilience4j's RateLimiter. A channel without a rate is
 * not limited. A message that cannot get a permit within {@code rate-limit-wait} is deferred.
 */
@Component
class RateLimits {

  private final Map<String, RateLimiter> limiters = new HashMap<>();

  RateLimits(DeliveryProperties props) {
    add("email", props.email().ratePerSecond(), props.rateLimitWait());
    add("sms", props.sms().ratePerSecond(), props.rateLimitWait());
    add("push", props.push().ratePerSecond(), props.rateLimitWait());
    add("webhook", props.webhook().ratePerSecond(), props.rateLimitWait());
    add("audience", props.audience().ratePerSecond(), props.rateLimitWait());
  }

  private void add(String channel, Double perSecond, Duration wait) {
    if (perSecond == null || perSecond <= 0) {
      return;
    }
    // a fractional rate such as 0.5/s becomes 1 permit per 2 s
    int permits = (int) Math.max(1, Math.floor(perSecond));
    Duration period = Duration.ofNanos((long) (1_000_000_000L * permits / perSecond));
    limiters.put(channel, RateLimiter.of("delivery-" + channel, RateLimiterConfig.custom()
        .limitForPeriod(permits).limitRefreshPeriod(period).timeoutDuration(wait).build()));
  }

  /** Waits for a permit; false if none came in time. */
  boolean acquire(String channel) {
    RateLimiter limiter = limiters.get(channel);
    return limiter == null || limiter.acquirePermission();
  }
}
