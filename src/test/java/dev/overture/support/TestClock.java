package dev.overture.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The app's {@link Clock} in app tests: the system clock, moved ahead by what a test asks
 * ({@link #advance}), so a test can see a re-entry cooldown pass without waiting for it. Imported by
 * {@link AppTest} (through {@link Config}), so every app test shares the one context that has it; a test that moves it resets it
 * ({@link #reset}) when done, as app test classes run one after the other.
 */
public final class TestClock extends Clock {

  private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

  /** Puts the test clock in the app's place. */
  @TestConfiguration(proxyBeanMethods = false)
  public static class Config {

    @Bean
    @Primary
    TestClock testClock() {
      return new TestClock();
    }
  }

  /** Moves the clock ahead by {@code by}, on top of any earlier move. */
  public void advance(Duration by) {
    ahead.accumulateAndGet(by, Duration::plus);
  }

  /** Back to the system clock. */
  public void reset() {
    ahead.set(Duration.ZERO);
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(ahead.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the app's clock is UTC");
  }
}
