package dev.overture.platform;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with "equal jitter": the wait before retry {@code attempt} (1 for the first retry)
 * is half fixed, half random, of {@code base · 2^(attempt-1)} capped at {@code max}. The fixed half keeps
 * retries from coming back at once; the random half keeps many failures from retrying together.
 */
public record Backoff(Duration base, Duration max) {

  /** Beyond this doubling the ceiling is {@code max} for any sane base; it also keeps the shift from overflowing. */
  private static final int MAX_DOUBLINGS = 20;

  /** The wait before retry {@code attempt}; an attempt below 1 counts as the first. */
  public Duration next(int attempt) {
    return next(attempt, ThreadLocalRandom.current());
  }

  /** As {@link #next(int)}, with the random half drawn from {@code random}. */
  public Duration next(int attempt, RandomGenerator random) {
    long ceiling = ceiling(attempt).toMillis();
    return Duration.ofMillis(ceiling / 2 + random.nextLong(ceiling / 2 + 1));
  }

  /** The longest wait before retry {@code attempt}: {@code base · 2^(attempt-1)}, at most {@code max}. */
  public Duration ceiling(int attempt) {
    int doublings = Math.min(Math.max(attempt - 1, 0), MAX_DOUBLINGS);
    return Duration.ofMillis(Math.min(max.toMillis(), base.toMillis() << doublings));
  }
}
