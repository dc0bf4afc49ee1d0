package dev.overture.journey.internal;

import dev.overture.journey.JourneyProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.engine.impl.interceptor.SessionFactory;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.camunda.bpm.engine.impl.persistence.entity.JobManager;
import org.camunda.bpm.engine.impl.persistence.entity.TimerEntity;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Every timer of a test walk ({@link TestWalks}) is due after {@code overture.events.journeys.test-mode-wait}
 * at the latest, whatever the diagram says: the Wait templates, literal durations, dates and cycles, on catch
 * events, boundary events and event subprocesses alike, each repetition of a cycle included. Customers' timers
 * are left as drawn.
 *
 * <p>Every timer the engine creates, first or repeated, passes {@link JobManager#schedule} with its due date
 * resolved; this plugin puts a {@code JobManager} that shortens a test walk's timer there, through the engine
 * configuration's {@code customSessionFactories}. That is Camunda's internal API (no public hook sees a timer
 * as it is created, docs/decisions.md "Test mode"). Whether an instance is a test walk is
 * what the journey log already knows for the step ({@link JourneyRunKeys}), so a customer's timer costs no
 * statement. Since the job executor polls less often while it is idle (up to its max wait, a minute), a
 * shortened timer also wakes it when it falls due.
 */
@Component
class TestModeTimers implements ProcessEnginePlugin, DisposableBean {

  /** Woken a little after the due time, so the executor's query finds the timer due. */
  private static final long WAKE_MARGIN_MILLIS = 50;

  private final JourneyRunKeys runs;
  private final Duration wait;
  private final boolean enabled;
  private final ScheduledExecutorService wakeUps = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "test-mode-timer-wake-up");
    t.setDaemon(true);
    return t;
  });

  TestModeTimers(JourneyRunKeys runs, JourneyProperties props, Environment environment) {
    this.runs = runs;
    this.wait = props.testModeWait();
    // test walks are what the journey log marks: without it (another history level) there are none
    this.enabled = JourneyHistoryLevel.NAME.equalsIgnoreCase(environment.getProperty("camunda.bpm.history-level", ""));
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (!enabled) {
      return;
    }
    if (configuration.getCustomSessionFactories() == null) {
      configuration.setCustomSessionFactories(new ArrayList<>());
    }
    configuration.getCustomSessionFactories().add(new SessionFactory() {
      @Override
      public Class<?> getSessionType() {
        return JobManager.class;
      }

      @Override
      public Session openSession() {
        return new TestWalkJobManager();
      }
    });
  }

  @Override
  public void postInit(ProcessEngineConfigurationImpl configuration) {
    // nothing after init
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine processEngine) {
    // nothing after build
  }

  @Override
  public void destroy() {
    wakeUps.shutdownNow();
  }

  /** The engine's job manager, with a test walk's timers shortened before they are inserted. */
  private final class TestWalkJobManager extends JobManager {
    @Override
    public void schedule(TimerEntity timer) {
      shorten(timer);
      super.schedule(timer);
    }
  }

  private void shorten(TimerEntity timer) {
    Date due = timer.getDuedate();
    Date latest = new Date(ClockUtil.getCurrentTime().getTime() + wait.toMillis());
    // a timer due within the test-mode wait anyway needs no look-up
    if (due == null || !due.after(latest) || !runs.isTestWalk(timer.getProcessInstanceId(), timer.getProcessDefinitionId())) {
      return;
    }
    timer.setDuedate(latest);
    JobExecutor executor = Context.getProcessEngineConfiguration().getJobExecutor();
    if (executor != null && executor.isActive()) {
      long delay = wait.toMillis() + WAKE_MARGIN_MILLIS;
      Context.getCommandContext().getTransactionContext().addTransactionListener(TransactionState.COMMITTED, committed -> {
        try {
          wakeUps.schedule(executor::jobWasAdded, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
          // the app is shutting down; the executor's own polling finds the timer after a restart
        }
      });
    }
  }
}
