package dev.overture.event.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The correlation partitions: {@code overture.events.correlation.partitions} threads, each with its
 * own queue, chosen by profile id, so one profile's events correlate in arrival order. A thread takes
 * whatever has queued up to {@code batch-size} and correlates it in one transaction ({@link
 * EventCorrelator#correlateAll}): under load the commits are shared, when idle each event goes alone at
 * once. What is queued here is only a hint: the event table is the queue, and an event left in memory
 * at a crash or shutdown is claimed again by the retry poller when its lease ends.
 */
@Component
public class CorrelationWorkers implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(CorrelationWorkers.class);

  private final EventCorrelator correlator;
  private final int batchSize;
  private final List<BlockingQueue<EventStore.Stored>> queues = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  CorrelationWorkers(EventCorrelator correlator, EventsProperties props) {
    this.correlator = correlator;
    this.batchSize = Math.max(1, props.correlation().batchSize());
    for (int i = 0; i < Math.max(1, props.correlation().partitions()); i++) {
      queues.add(new LinkedBlockingQueue<>());
    }
  }

  /** Queues one stored event on its profile's partition. */
  public void submit(EventStore.Stored stored) {
    queues.get(Math.floorMod(stored.profileId().hashCode(), queues.size())).add(stored);
  }

  @Override
  public void start() {
    running = true;
    for (int i = 0; i < queues.size(); i++) {
      BlockingQueue<EventStore.Stored> queue = queues.get(i);
      Thread t = new Thread(() -> work(queue), "event-correlation-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
  }

  @Override
  public void stop() {
    running = false;
    threads.forEach(Thread::interrupt);
    for (Thread t : threads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    threads.clear();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void work(BlockingQueue<EventStore.Stored> queue) {
    while (running) {
      try {
        EventStore.Stored first = queue.poll(500, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        List<EventStore.Stored> batch = new ArrayList<>(batchSize);
        batch.add(first);
        queue.drainTo(batch, batchSize - 1);
        correlator.correlateAll(batch.stream().map(EventStore.Stored::rowId).toList());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // correlateAll records failures on the rows; anything else leaves them to the retry poller
        log.warn("Correlation worker: {}", e.toString());
      }
    }
  }
}
