package dev.overture.enrollment.internal;

import dev.overture.enrollment.Enrollment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The background thread that walks running enrollments chunk by chunk, taking turns between them.
 * It keeps no state that matters: on start-up it finds running enrollments in the database and
 * continues each from its cursor, so a restarted app resumes where the last commit left off.
 * A chunk that fails as a whole is retried one profile at a time, so that one profile whose journey
 * cannot start is recorded as failed instead of stopping the enrollment.
 */
@Component
public class EnrollmentWorker implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(EnrollmentWorker.class);

  private final EnrollmentChunks chunks;
  private final JdbcClient jdbc;
  private final EnrollmentProperties properties;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final Map<String, Integer> singleSteps = new HashMap<>();
  private volatile boolean running;
  private volatile boolean signalled;
  private Thread thread;

  EnrollmentWorker(EnrollmentChunks chunks, JdbcClient jdbc, EnrollmentProperties properties) {
    this.chunks = chunks;
    this.jdbc = jdbc;
    this.properties = properties;
  }

  /** There is new work (an enrollment started or resumed): look now instead of at the next poll. */
  public void wake() {
    lock.lock();
    try {
      signalled = true;
      work.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void start() {
    if (!properties.workerEnabled()) {
      log.info("Enrollment worker disabled on this node (overture.enrollment.worker-enabled=false)");
      return;
    }
    running = true;
    thread = new Thread(this::loop, "enrollment-worker");
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
        List<String> ids = jdbc.sql("SELECT id FROM enrollment WHERE status = ? ORDER BY created_at, id")
            .param(Enrollment.RUNNING).query(String.class).list();
        for (String id : ids) {
          if (!running) {
            return;
          }
          more |= step(id);
        }
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn("Enrollment worker could not read its work; retrying after {}", properties.pollInterval(), e);
      }
      if (!more) {
        idle();
      }
    }
  }

  private boolean step(String id) {
    Integer left = singleSteps.get(id);
    try {
      if (left == null) {
        return chunks.run(id, properties.chunkSize());
      }
      boolean more = chunks.runOneOrRecordFailure(id);
      if (left <= 1 || !more) {
        singleSteps.remove(id);
      } else {
        singleSteps.put(id, left - 1);
      }
      return more;
    } catch (RuntimeException e) {
      if (!running) {
        return false;
      }
      if (left == null) {
        log.warn("Enrollment {}: a chunk failed and was rolled back; retrying it one profile at a time", id, e);
        singleSteps.put(id, properties.chunkSize());
        return true;
      }
      log.warn("Enrollment {}: could not record a failed profile; retrying after {}", id, properties.pollInterval(), e);
      return false;
    }
  }

  private void idle() {
    lock.lock();
    try {
      if (!signalled && running) {
        work.await(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
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
