package dev.overture.enrollment.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * One background thread per node that does a round of work, and waits for a wake-up or the poll interval when a
 * round found nothing more. It holds nothing that matters: what to do is read from the database every round.
 */
abstract class PollingWorker implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(PollingWorker.class);

  private final String name;
  private final Duration pollInterval;
  private final boolean enabled;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private volatile boolean running;
  private volatile boolean signalled;
  private Thread thread;

  PollingWorker(String name, Duration pollInterval, boolean enabled) {
    this.name = name;
    this.pollInterval = pollInterval;
    this.enabled = enabled;
  }

  /** One round; true when there is more to do at once. */
  protected abstract boolean round();

  /** There is new work: look now instead of at the next poll. */
  public void wake() {
    lock.lock();
    try {
      signalled = true;
      work.signalAll();
    } finally {
      lock.unlock();
    }
  }

  protected boolean active() {
    return running;
  }

  @Override
  public void start() {
    if (running) {
      return;
    }
    if (!enabled) {
      log.info("{} disabled on this node (overture.enrollment.worker-enabled=false)", name);
      return;
    }
    running = true;
    thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void stop() {
    running = false;
    wake();
    if (thread != null) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    // after the process engine and the web server start, before they stop
    return Integer.MAX_VALUE - 1000;
  }

  private void loop() {
    while (running) {
      boolean more = false;
      try {
        more = round();
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn("{} could not finish a round; retrying after {}", name, pollInterval, e);
      }
      if (!more) {
        idle();
      }
    }
  }

  private void idle() {
    lock.lock();
    try {
      if (!signalled && running) {
        work.await(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
      }
      signalled = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } finally {
      lock.unlock();
    }
  }
}
