package dev.overture.process;

import dev.overture.delivery.ApiCall;
import dev.overture.delivery.ApiCallOutcome;
import dev.overture.delivery.ApiCalls;
import dev.overture.event.Events;
import dev.overture.journey.Journeys;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.camunda.bpm.engine.variable.Variables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * "Call an API": the step is a Camunda external task of topic {@value #TOPIC}, which this worker locks, calls through
 * {@link ApiCalls} with no transaction open, and completes with the mapped variables, fails with a retry after the
 * backoff or {@code Retry-After}, or ends with the BPMN error {@value ApiCalls#FAILED} when the call failed for good.
 * Each of these is a short engine command of its own, so a retry repeats only the call, never a committed step. The
 * step announces itself after its commit ({@link ApiCallQueued}); a poll every {@code poll-interval} finds the rest.
 */
@Component
class CallApiWorker implements SmartLifecycle {

  static final String TOPIC = ApiCalls.TOPIC;
  private static final Logger log = LoggerFactory.getLogger(CallApiWorker.class);
  private static final int MAX_ERROR_LENGTH = 600;

  private final ExternalTaskService tasks;
  private final RepositoryService repository;
  private final ApiCalls apiCalls;
  private final Events events;
  private final String workerId = "overture-" + java.util.UUID.randomUUID();
  private final Semaphore wakeUps = new Semaphore(0);
  private final Semaphore free;
  private ExecutorService pool;
  private ScheduledExecutorService timers;
  private Thread poller;
  private volatile boolean running;
  private volatile boolean lastFetchFull;

  CallApiWorker(ExternalTaskService tasks, RepositoryService repository, ApiCalls apiCalls, Events events) {
    this.tasks = tasks;
    this.repository = repository;
    this.apiCalls = apiCalls;
    this.events = events;
    this.free = new Semaphore(apiCalls.settings().threads());
  }

  /** A step was queued or a retry is due: look now rather than at the next poll. */
  void wake() {
    wakeUps.release();
  }

  private void poll() {
    while (running) {
      try {
        wakeUps.tryAcquire(apiCalls.settings().pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        wakeUps.drainPermits();
        fetch();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("Fetching API calls failed, trying again at the next poll: {}", e.toString());
      }
    }
  }

  private void fetch() {
    int room = free.availablePermits();
    if (room == 0) {
      return;
    }
    List<LockedExternalTask> locked = tasks.fetchAndLock(room, workerId).topic(TOPIC, apiCalls.lease().toMillis()).execute();
    lastFetchFull = locked.size() == room;
    for (LockedExternalTask task : locked) {
      free.acquireUninterruptibly();
      pool.execute(() -> {
        try {
          run(task);
        } finally {
          free.release();
          if (lastFetchFull) {
            wake();
          }
        }
      });
    }
  }

  private void run(LockedExternalTask task) {
    Map<String, String> in = TaskProperties.of(task.getProcessDefinitionId(), task.getActivityId(),
        () -> repository.getBpmnModelInstance(task.getProcessDefinitionId()).getModelElementById(task.getActivityId()));
    ApiCall call = new ApiCall(in.get("endpoint"), in.get("method"), in.get("path"), in.get("body"), mapping(in.get("responseMapping")));
    Object profileId = task.getVariables().get(Journeys.PROFILE_ID);
    int retries = task.getRetries() == null ? apiCalls.maxAttempts() : task.getRetries();
    ApiCallOutcome outcome;
    try {
      outcome = apiCalls.call(call, profileId != null ? profileId.toString() : task.getBusinessKey(),
          Moments.of(events, task.getVariables()::get, in.get("templateVariables")), task.getId(), apiCalls.maxAttempts() - retries + 1);
    } catch (RuntimeException e) {
      outcome = new ApiCallOutcome.TryAgain(apiCalls.settings().retryBase(), "the call could not be made: " + e, true);
    }
    try {
      act(task, retries, outcome);
    } catch (RuntimeException e) {
      // the steps after the call failed in the completion's transaction: retry the call, in the end an incident
      log.warn("API call task {} could not be completed: {}", task.getId(), e.toString());
      try {
        tasks.handleFailure(task.getId(), workerId, shorten("completing failed: " + e), null, Math.max(retries - 1, 0),
            lockedFor(apiCalls.settings().retryBase()));
      } catch (RuntimeException gone) {
        // the instance ended meanwhile (an exit, an erasure): nothing is left to retry
        log.info("API call task {} is gone: {}", task.getId(), gone.toString());
      }
    }
  }

  private void act(LockedExternalTask task, int retries, ApiCallOutcome outcome) {
    if (outcome instanceof ApiCallOutcome.Answered answered) {
      tasks.complete(task.getId(), workerId, answered.variables());
    } else if (outcome instanceof ApiCallOutcome.TryAgain again) {
      int left = again.counts() ? retries - 1 : retries;
      if (left <= 0) {
        failForGood(task, again.reason());
        return;
      }
      long timeout = lockedFor(again.after());
      tasks.handleFailure(task.getId(), workerId, shorten(again.reason()), null, left, timeout);
      timers.schedule(this::wake, timeout + 5, TimeUnit.MILLISECONDS);
    } else if (outcome instanceof ApiCallOutcome.Failed failed) {
      failForGood(task, failed.reason());
    } else if (outcome instanceof ApiCallOutcome.Misconfigured wrong) {
      // no retry: an incident in Cockpit until the endpoint is configured and the retries are set again
      tasks.handleFailure(task.getId(), workerId, shorten(wrong.reason()), null, 0, 0);
    }
  }

  private void failForGood(LockedExternalTask task, String reason) {
    log.info("API call of task {} ({}) failed for good: {}", task.getActivityId(), task.getProcessInstanceId(), reason);
    tasks.handleBpmnError(task.getId(), workerId, ApiCalls.FAILED, shorten(reason),
        Variables.createVariables().putValue("apiCallError", shorten(reason)));
  }

  /** {@code tier=/tier, points=/balance/points}: variable name → JSON pointer into the answer. */
  static Map<String, String> mapping(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : (text == null ? "" : text).split("[,\n]")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    return out;
  }

  /**
   * The retry timeout that keeps the task from a fetch for at least {@code after}: the engine stores the lock's
   * expiry in a DATETIME without fractions on MariaDB, which cuts up to a second off, so the expiry is set on the
   * whole second at or after now + {@code after}.
   */
  static long lockedFor(Duration after) {
    long now = System.currentTimeMillis();
    long until = now + Math.max(after.toMillis(), 0);
    return (until + 999) / 1000 * 1000 - now;
  }

  private static String shorten(String text) {
    return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 3) + "...";
  }

  @Override
  public void start() {
    AtomicInteger n = new AtomicInteger();
    pool = Executors.newFixedThreadPool(apiCalls.settings().threads(), r -> daemon(r, "api-call-" + n.incrementAndGet()));
    timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "api-call-retry-wake-up"));
    running = true;
    poller = daemon(this::poll, "api-call-poll");
    poller.start();
  }

  @Override
  public void stop() {
    running = false;
    poller.interrupt();
    timers.shutdownNow();
    pool.shutdown();
    try {
      pool.awaitTermination(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
