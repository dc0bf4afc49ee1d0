package dev.overture.event.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overture.event.CustomerEvent;
import dev.overture.event.EventReactions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CorrelatedEventsTest {

  private final EventReactions.Occurred shipped = new EventReactions.Occurred("e-1", "order.shipped", "p-1", List.of("p-1"),
      Instant.parse("2026-12-02T10:00:00Z"), Map.of("orderId", "o-7"));

  @Test
  void theEventsOfTheRunningCorrelationAreVisibleOnItsThreadUntilItReturns() {
    CustomerEvent seen = CorrelatedEvents.during(List.of(shipped), () -> CorrelatedEvents.find("e-1").orElseThrow());

    assertThat(seen).isEqualTo(new CustomerEvent("e-1", "order.shipped", "p-1", Instant.parse("2026-12-02T10:00:00Z"),
        Map.of("orderId", "o-7")));
    assertThat(CorrelatedEvents.find("e-1")).isEmpty();
  }

  @Test
  void anotherIdIsNotThereAndAFailedReactionLeavesNothingBehind() {
    assertThat(CorrelatedEvents.during(List.of(shipped), () -> CorrelatedEvents.find("e-2"))).isEmpty();
    assertThatThrownBy(() -> CorrelatedEvents.during(List.of(shipped), () -> {
      throw new IllegalStateException("reaction failed");
    })).hasMessage("reaction failed");
    assertThat(CorrelatedEvents.find("e-1")).isEmpty();
  }

  @Test
  void otherThreadsDoNotSeeIt() throws Exception {
    Boolean elsewhere = CorrelatedEvents.during(List.of(shipped), () -> {
      java.util.concurrent.CompletableFuture<Boolean> other = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> CorrelatedEvents.find("e-1").isPresent());
      return other.join();
    });
    assertThat(elsewhere).isFalse();
  }
}
