package dev.overture.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overture.platform.ApiProblem;
import dev.overture.platform.Unavailable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The retry around upserts and merges, with a fake transaction that loses its race. */
class MergeRetryTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final MergeRetry retry = new MergeRetry(meters, Duration.ofMillis(1), Duration.ofMillis(2));
  private final AtomicInteger attempts = new AtomicInteger();

  private String losesTheFirst(int lost) {
    if (attempts.incrementAndGet() <= lost) {
      throw new OptimisticLockingException("ENGINE-03005 Execution of 'DELETE ExecutionEntity[42]' failed: concurrent update");
    }
    return "survivor";
  }

  @Test
  void aTransactionThatLosesARaceOnceRunsAgainAndSucceeds() {
    assertThat(retry.run(() -> losesTheFirst(1))).isEqualTo("survivor");
    assertThat(attempts).hasValue(2);
    assertThat(meters.get("overture.profile.merge.retries").counter().count()).isEqualTo(1.0);
  }

  @Test
  void aTransactionThatKeepsLosingEndsAsProfileBusyWorthRetryingAfterThreeAttempts() {
    // ProblemHandlerTest shows the 503 with Retry-After that this becomes at the API
    assertThatThrownBy(() -> retry.run(() -> losesTheFirst(Integer.MAX_VALUE)))
        .isInstanceOfSatisfying(Unavailable.class, p -> {
          assertThat(p.type()).isEqualTo("profile-busy");
          assertThat(p.retryAfter()).isEqualTo(java.time.Duration.ofSeconds(1));
          assertThat(p.callersFault()).isFalse();
        });
    assertThat(attempts).hasValue(MergeRetry.MAX_ATTEMPTS);
  }

  @Test
  void otherFailuresAreNotRetried() {
    ApiProblem unknown = ApiProblem.unprocessable("unknown-profile", "No profile with id x");
    assertThatThrownBy(() -> retry.run(() -> {
      attempts.incrementAndGet();
      throw unknown;
    })).isSameAs(unknown);
    assertThat(attempts).hasValue(1);
    assertThat(meters.get("overture.profile.merge.retries").counter().count()).isZero();
  }

  @Test
  void insideACallersTransactionTheRaceIsLeftToTheCaller() {
    TransactionSynchronizationManager.setActualTransactionActive(true);
    try {
      assertThatThrownBy(() -> retry.run(() -> losesTheFirst(1))).isInstanceOf(OptimisticLockingException.class);
    } finally {
      TransactionSynchronizationManager.setActualTransactionActive(false);
    }
    assertThat(attempts).hasValue(1);
  }
}
