package dev.overture.delivery.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes what became of dispatched messages (the outbox row's final state and its outcome event) in
 * batches: a delivery worker hands the outcome over and takes the next message, and one thread writes
 * whatever has gathered, up to {@code overture.delivery.outcome-batch-size}, in one transaction. A
 * thousand messages cost a few commits instead of two each. Until the write, the row stays
 * {@code sending} under its claim; a crash in between makes it due again when the claim expires, and
 * the resend carries the same outbox id as idempotency key, as after a crash between send and record.
 * On shutdown the writer drains what it holds before the database goes.
 */
@Component
class OutcomeWriter implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutcomeWriter.class);
  private static final int ATTEMPTS = 3;

  private final OutboxClaims outbox;
  private final Outcomes outcomes;
  private final TransactionTemplate tx;
  private final int batchSize;
  private final BlockingQueue<FinalState> queue = new LinkedBlockingQueue<>();
  private volatile boolean running;
  private Thread thread;

  OutcomeWriter(OutboxClaims outbox, Outcomes outcomes, TransactionTemplate tx, DeliveryProperties props) {
    this.outbox = outbox;
    this.outcomes = outcomes;
    this.tx = tx;
    this.batchSize = props.outcomeBatchSize();
  }

  /** Hands one final state over; written within milliseconds, or at once when the writer is not running. */
  void submit(FinalState f) {
    if (!running) {
      write(List.of(f));
      return;
    }
    queue.add(f);
  }

  @Override
  public void start() {
    running = true;
    thread = new Thread(this::loop, "delivery-outcomes");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    drain();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops after the delivery workers (higher phase stops first) and before the data source. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 1;
  }

  private void loop() {
    while (running) {
      try {
        FinalState first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first != null) {
          List<FinalState> batch = new ArrayList<>(batchSize);
          batch.add(first);
          queue.drainTo(batch, batchSize - 1);
          write(batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void drain() {
    List<FinalState> rest = new ArrayList<>();
    queue.drainTo(rest);
    for (int i = 0; i < rest.size(); i += batchSize) {
      write(rest.subList(i, Math.min(rest.size(), i + batchSize)));
    }
  }

  /** One transaction for the batch; after repeated failure each row alone, so one bad row does not hold back the rest. */
  private void write(List<FinalState> batch) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        tx.executeWithoutResult(s -> outcomes.recordAll(outbox.finishAll(batch)));
        return;
      } catch (RuntimeException e) {
        log.warn("Writing {} delivery outcome(s) failed (attempt {} of {}): {}", batch.size(), attempt, ATTEMPTS, e.toString());
      }
    }
    if (batch.size() > 1) {
      batch.forEach(f -> write(List.of(f)));
      return;
    }
    log.error("Outcome of outbox row {} ({}) not written; the row is sent again when its claim expires",
        batch.get(0).delivery().id(), batch.get(0).status());
  }
}
