package dev.overture.experiment.internal;

import io.micrometer.core.instrument.Counter;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Counting what a transaction records only once it committed: a rolled-back step counts nothing. */
public final class AfterCommit {

  private AfterCommit() {}

  /** Increments the counter when the current transaction commits, or now outside one. */
  public static void increment(Counter counter) {
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCommit() {
          counter.increment();
        }
      });
    } else {
      counter.increment();
    }
  }
}
