package dev.overture.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5));

  /** Always draws the bound's largest value (the bound is exclusive), or its smallest. */
  private static RandomGenerator drawing(boolean highest) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public long nextLong(long bound) {
        return highest ? bound - 1 : 0;
      }
    };
  }

  @Test
  void theCeilingDoublesPerAttemptUpToTheMaximum() {
    assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofSeconds(8));
    assertThat(backoff.ceiling(8)).isEqualTo(Duration.ofSeconds(256));
    assertThat(backoff.ceiling(9)).isEqualTo(Duration.ofMinutes(5));
    assertThat(backoff.ceiling(1_000)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void anAttemptBelowOneCountsAsTheFirst() {
    assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.ceiling(-3)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void theWaitIsHalfFixedHalfRandomUpToTheCeiling() {
    assertThat(backoff.next(3, drawing(false))).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.next(3, drawing(true))).isEqualTo(Duration.ofSeconds(8));
    assertThat(backoff.next(50, drawing(false))).isEqualTo(Duration.ofMinutes(5).dividedBy(2));
    assertThat(backoff.next(50, drawing(true))).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void theDefaultRandomStaysWithinTheHalves() {
    for (int i = 0; i < 1_000; i++) {
      assertThat(backoff.next(2)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }
  }
}
