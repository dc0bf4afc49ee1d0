package dev.overture.delivery.internal;

import dev.overture.delivery.ActionProperties;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Per-channel messages per second ({@code overture.delivery.<channel>.rate-per-second}), and per-endpoint API calls
 * per second ({@code overture.actions.endpoints.<name>.rate-per-second}), for the whole
 * cluster: one Bucket4j token bucket per channel whose state is a row of {@code delivery_rate_bucket}, so
 * every dispatcher thread of every node on the database draws from it. A channel without a rate is not
 * limited. A message that cannot get a permit within {@code rate-limit-wait} is deferred.
 */
@Component
class RateLimits {

  /**
   * The burst a bucket allows, as a share of a second's rate (at least one permit): any one-second window
   * then holds at most 10 % more than the rate, or one more permit at rates under 10 per second.
   */
  private static final double BURST_SECONDS = 0.1;

  private final Map<String, Bucket> buckets = new HashMap<>();
  private final Duration wait;

  RateLimits(DeliveryProperties props, ActionProperties actions, DataSource dataSource) {
    this.wait = props.rateLimitWait();
    ProxyManager<String> shared = new MariaDbRateBuckets(dataSource);
    add(shared, "email", props.email().ratePerSecond());
    add(shared, "sms", props.sms().ratePerSecond());
    add(shared, "push", props.push().ratePerSecond());
    add(shared, "webhook", props.webhook().ratePerSecond());
    add(shared, "audience", props.audience().ratePerSecond());
    // the journeys' API calls, per endpoint, from the same table: a journey's rate towards an API is the endpoint's
    actions.endpoints().forEach((name, endpoint) -> add(shared, ApiEndpoints.bucket(name), endpoint.ratePerSecond()));
  }

  private void add(ProxyManager<String> shared, String channel, Double perSecond) {
    if (perSecond == null || perSecond <= 0) {
      return;
    }
    // a fractional rate such as 0.5/s becomes 1 permit per 2 s
    long burst = (long) Math.max(1, Math.floor(perSecond * BURST_SECONDS));
    Duration period = Duration.ofNanos((long) (1_000_000_000L * burst / perSecond));
    BucketConfiguration config = BucketConfiguration.builder()
        .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(burst, period).build())
        .build();
    // the rate is part of the key: nodes agree on a bucket only when they agree on its rate, and a changed
    // rate starts a bucket of its own rather than inheriting one configured otherwise
    buckets.put(channel, shared.getProxy(bucketId(channel, perSecond), () -> config));
  }

  private static String bucketId(String channel, double perSecond) {
    return channel + "@" + perSecond + "/s";
  }

  /**
   * Takes a permit, waiting while there is none; false if none came within {@code rate-limit-wait}. Each try
   * is one short transaction on the bucket's row; the wait between tries holds no connection.
   */
  boolean acquire(String channel) {
    Bucket bucket = buckets.get(channel);
    if (bucket == null) {
      return true;
    }
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      while (true) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
          return true;
        }
        // Tries again when the next permit is due rather than reserving it (Bucket4j's blocking tryConsume):
        // a reservation is kept however late its thread wakes, so after a pause of the JVM or the machine
        // every overdue reservation would go out at once, more than the rate in that second. A permit nobody
        // took in time is simply gone. The jitter keeps the threads of all nodes from waking together.
        long toWait = probe.getNanosToWaitForRefill();
        long pause = toWait + ThreadLocalRandom.current().nextLong(toWait / 4 + 1);
        if (System.nanoTime() + pause > deadline) {
          return false;
        }
        BlockingStrategy.PARKING.park(pause);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
