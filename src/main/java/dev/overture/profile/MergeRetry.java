package dev.overture.profile;

import dev.overture.platform.Unavailable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.retry.RetryCallback;
import org.springframework.retry.RetryContext;
import org.springframework.retry.RetryListener;
import org.springframework.retry.support.RetryTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs an upsert or merge transaction again when it lost a race: the job executor or a correlation
 * changed a process instance the merge moves or ends (Camunda's {@link OptimisticLockingException}),
 * a lock wait or deadlock, or a concurrent create of the same identity. At most {@link #MAX_ATTEMPTS}
 * attempts with jittered exponential backoff (Spring Retry); still losing, the caller gets a 503
 * problem with {@code Retry-After}, not a 500. Inside a caller's transaction it does not retry: that
 * transaction is already marked for rollback, and whoever owns it decides.
 */
@Component
class MergeRetry {

  static final int MAX_ATTEMPTS = 3;
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(MergeRetry.class);
  private static final List<Class<? extends Throwable>> RACES =
      List.of(OptimisticLockingException.class, ConcurrencyFailureException.class, DuplicateKeyException.class);

  private final RetryTemplate retry;

  @Autowired
  MergeRetry(MeterRegistry meters) {
    this(meters, Duration.ofMillis(50), Duration.ofMillis(400));
  }

  MergeRetry(MeterRegistry meters, Duration firstBackoff, Duration maxBackoff) {
    Counter retries = Counter.builder("overture.profile.merge.retries")
        .description("upserts and merges run again after losing a race with another transaction").register(meters);
    this.retry = RetryTemplate.builder()
        .maxAttempts(MAX_ATTEMPTS)
        .exponentialBackoff(firstBackoff, 2, maxBackoff, true)
        .retryOn(RACES)
        .traversingCauses()
        .withListener(new RetryListener() {
          @Override
          public <T, E extends Throwable> void onError(RetryContext context, RetryCallback<T, E> callback, Throwable error) {
            if (!isRace(error)) {
              return;
            }
            if (context.getRetryCount() < MAX_ATTEMPTS) {
              retries.increment();
            }
            log.info("Profile upsert/merge attempt {} lost a race and is rolled back: {}", context.getRetryCount(), error.toString());
          }
        })
        .build();
  }

  /** Runs {@code attempt} (one whole transaction) until it commits, at most {@link #MAX_ATTEMPTS} times. */
  <T> T run(Supplier<T> attempt) {
    if (TransactionSynchronizationManager.isActualTransactionActive()) {
      return attempt.get();
    }
    try {
      return retry.execute(context -> attempt.get());
    } catch (RuntimeException e) {
      if (!isRace(e)) {
        throw e;
      }
      log.warn("Profile upsert/merge gave up after {} attempts: {}", MAX_ATTEMPTS, e.toString());
      throw new Unavailable("profile-busy", "Profile busy",
          "A journey step or another request changed these profiles at the same moment, " + MAX_ATTEMPTS
              + " times in a row; nothing was changed. Try again in " + RETRY_AFTER.toSeconds() + " s.", RETRY_AFTER);
    }
  }

  private static boolean isRace(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      for (Class<? extends Throwable> race : RACES) {
        if (race.isInstance(t)) {
          return true;
        }
      }
    }
    return false;
  }
}
