package dev.overture.platform;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** What only a committed transaction may cause (a counter, a wake-up of a worker that reads what it wrote). */
public final class AfterCommit {

  private AfterCommit() {}

  /** Runs {@code action} when the current transaction commits, or now outside one. */
  public static void run(Runnable action) {
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCommit() {
          action.run();
        }
      });
    } else {
      action.run();
    }
  }
}
