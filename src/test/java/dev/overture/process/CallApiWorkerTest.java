package dev.overture.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The worker's parsing of a response mapping and its retry timeouts, without an engine. */
class CallApiWorkerTest {

  @Test
  void readsAResponseMappingOfVariablesAndPointers() {
    assertThat(CallApiWorker.mapping(" tier=/tier, points = /balance/points\nwhole=")).containsExactly(
        java.util.Map.entry("tier", "/tier"), java.util.Map.entry("points", "/balance/points"), java.util.Map.entry("whole", ""));
    assertThat(CallApiWorker.mapping(null)).isEmpty();
  }

  @Test
  void aRetryTimeoutEndsOnAWholeSecondNoEarlierThanAsked() {
    for (long ms : new long[] {0, 100, 999, 1000, 2500}) {
      long timeout = CallApiWorker.lockedFor(Duration.ofMillis(ms));
      assertThat(timeout).as("%d ms", ms).isBetween(ms, ms + 1000);
      assertThat((System.currentTimeMillis() + timeout) % 1000).as("ends near a whole second").isLessThan(50);
    }
  }
}
