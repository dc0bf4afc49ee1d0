package dev.overture.event.internal;

import dev.overture.platform.DatabaseOutage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Group commit for ingestion. Each request resolves its events' profiles on its own thread (that may
 * create or merge profiles), then hands the events to one writer thread, which stores whatever has
 * queued from all requests, up to {@code overture.events.ingest-batch-size} events, in one transaction,
 * and answers each request once that commit is done. One event per request had been one commit per
 * event, the largest single cost of ingestion on the database (docs/performance.md); when requests
 * arrive one at a time, each still goes alone at once. If a shared transaction fails, each request's
 * events are stored on their own, so one bad request fails alone; when the database cannot be reached,
 * all of them fail at once.
 */
@Component
class EventWriter implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(EventWriter.class);

  private final EventStore store;
  private final EventProfiles profiles;
  private final int maxEvents;
  private final BlockingQueue<Submission> queue = new LinkedBlockingQueue<>();
  private volatile boolean running;
  private Thread thread;

  private record Submission(List<EventValidator.ValidEvent> events, List<String> profileIds,
      CompletableFuture<List<EventStore.Stored>> result) {}

  EventWriter(EventStore store, EventProfiles profiles, EventsProperties props) {
    this.store = store;
    this.profiles = profiles;
    this.maxEvents = Math.max(1, props.ingestBatchSize());
  }

  /** Stores the events (durable when this returns), sharing the transaction with concurrent requests. */
  List<EventStore.Stored> store(List<EventValidator.ValidEvent> events) {
    List<String> profileIds = profiles.of(events);
    if (!running) {
      return store.insert(events, profileIds);
    }
    Submission submission = new Submission(events, profileIds, new CompletableFuture<>());
    queue.add(submission);
    while (true) {
      try {
        return submission.result().get(1, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        if (!running && queue.remove(submission)) {
          // the writer stopped before it took this one
          return store.insert(events, profileIds);
        }
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Error error) {
          throw error;
        }
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the events were being stored", e);
      }
    }
  }

  /** Requests waiting for the writer to take them. */
  int queued() {
    return queue.size();
  }

  @Override
  public void start() {
    running = true;
    thread = new Thread(this::loop, "event-writer");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void stop() {
    running = false;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // whatever was queued when the writer stopped is stored here rather than left waiting
    for (Submission s = queue.poll(); s != null; s = queue.poll()) {
      write(List.of(s));
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Started before the web server and the inbound adapters, stopped after them. */
  @Override
  public int getPhase() {
    return 0;
  }

  private void loop() {
    while (running) {
      try {
        Submission first = queue.poll(500, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        List<Submission> batch = new ArrayList<>();
        batch.add(first);
        int events = first.events().size();
        for (Submission next = queue.peek(); next != null && events + next.events().size() <= maxEvents; next = queue.peek()) {
          batch.add(queue.poll());
          events += next.events().size();
        }
        try {
          write(batch);
        } catch (Throwable t) {
          // the requests waiting for this batch get the failure; the writer stays up for the next ones
          if (DatabaseOutage.isCause(t)) {
            log.warn("Storing {} request(s) failed: the database cannot be reached ({})", batch.size(), t.toString());
          } else {
            log.error("Storing {} request(s) failed", batch.size(), t);
          }
          batch.forEach(s -> s.result().completeExceptionally(t));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void write(List<Submission> batch) {
    if (batch.size() > 1) {
      List<EventValidator.ValidEvent> events = new ArrayList<>();
      List<String> profileIds = new ArrayList<>();
      batch.forEach(s -> {
        events.addAll(s.events());
        profileIds.addAll(s.profileIds());
      });
      try {
        List<EventStore.Stored> stored = store.insert(events, profileIds);
        int from = 0;
        for (Submission s : batch) {
          s.result().complete(stored.subList(from, from + s.events().size()));
          from += s.events().size();
        }
        return;
      } catch (RuntimeException e) {
        if (DatabaseOutage.isCause(e)) {
          // one by one would make the last request wait one connection timeout per request before it
          throw e;
        }
        log.debug("Storing {} requests' events together failed ({}); one by one", batch.size(), e.toString());
      }
    }
    for (Submission s : batch) {
      try {
        s.result().complete(store.insert(s.events(), s.profileIds()));
      } catch (RuntimeException e) {
        s.result().completeExceptionally(e);
      }
    }
  }
}
