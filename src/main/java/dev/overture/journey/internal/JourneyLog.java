package dev.overture.journey.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.history.event.HistoricActivityInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoricProcessInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.HistoricProcessInstanceEntity;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The compact journey log: turns the journey history events that {@link JourneyHistoryLevel} lets the
 * engine produce into one {@code journey_run} row per instance and counters per journey, version, hour
 * of entry and element (V56). It runs inside the engine's command, on the engine's Spring-managed
 * transaction: what a transaction logs is gathered in memory and handed to the {@link JourneyLogWriter} just
 * before it commits, and a rolled-back step leaves nothing. A test profile's instance (a
 * {@link TestWalks test walk}) gets its row, marked, and moves no counter and no metric.
 */
@Component
public class JourneyLog {

  /** How an instance ended, as {@code journey_run.end_reason} and the stats answer name it. */
  public static final List<String> END_REASONS = List.of("completed", "goal_reached", "exited_by_event", "exited_by_api",
      "cancelled", "erased");

  private final JourneyLogWriter writer;
  private final JourneyLogMetrics metrics;
  private final JourneyRunKeys known;
  private final JourneyLogMigrations migrations;

  JourneyLog(JourneyLogWriter writer, JourneyLogMetrics metrics, JourneyRunKeys known, JourneyLogMigrations migrations) {
    this.writer = writer;
    this.metrics = metrics;
    this.known = known;
    this.migrations = migrations;
  }

  /** What one transaction has logged so far. */
  private final class Pending implements TransactionSynchronization {
    final Map<String, LoggedRun> started = new LinkedHashMap<>();
    final Map<String, LoggedRun> ended = new LinkedHashMap<>();
    final Set<String> erased = new HashSet<>();
    final Map<String, String> lastMessage = new java.util.HashMap<>();
    final Map<String, ElementKey> gatewaysLeft = new java.util.HashMap<>();
    final Map<String, String> lastEndEvent = new java.util.HashMap<>();
    final TreeMap<RunKey, long[]> runCounts = new TreeMap<>();
    final TreeMap<ElementKey, long[]> elementCounts = new TreeMap<>();
    /** What the metrics get once the transaction has committed: entries per journey, completed steps per journey and element. */
    final Map<String, Long> enteredMetric = new java.util.HashMap<>();
    final Map<List<String>, Long> stepsMetric = new java.util.HashMap<>();
    final JourneyLogMigrations.Moves moves = new JourneyLogMigrations.Moves();

    @Override
    public void suspend() {
      TransactionSynchronizationManager.unbindResource(JourneyLog.this);
    }

    @Override
    public void resume() {
      TransactionSynchronizationManager.bindResource(JourneyLog.this, this);
    }

    @Override
    public void beforeCommit(boolean readOnly) {
      JourneyLog.this.write(this);
    }

    @Override
    public void afterCommit() {
      JourneyLog.this.publish(this);
    }

    @Override
    public void afterCompletion(int status) {
      TransactionSynchronizationManager.unbindResourceIfPossible(JourneyLog.this);
    }
  }

  /** Takes one history event of a journey (the router sends only those). */
  void handle(HistoryEvent event) {
    Pending pending = pending();
    if (event instanceof MigratedActivity m) {
      migrations.activityMoved(pending.moves, m);
    } else if (event instanceof HistoricProcessInstanceEventEntity p) {
      if (p.isEventOfType(HistoryEventTypes.PROCESS_INSTANCE_START)) {
        started(pending, p);
      } else if (p.isEventOfType(HistoryEventTypes.PROCESS_INSTANCE_END)) {
        ended(pending, p);
      } else if (p.isEventOfType(HistoryEventTypes.PROCESS_INSTANCE_MIGRATE)) {
        migrations.instanceMoved(pending.moves, p.getProcessInstanceId(), p.getProcessDefinitionId());
      }
    } else if (event instanceof HistoricActivityInstanceEventEntity a && a.getActivityId() != null
        && !a.getActivityId().contains("#") && (a.isEventOfType(HistoryEventTypes.ACTIVITY_INSTANCE_START)
        || a.isEventOfType(HistoryEventTypes.ACTIVITY_INSTANCE_END))) {
      RunKey run = runKey(pending, a.getProcessInstanceId(), a.getProcessDefinitionId());
      if (run == null) {
        return;
      }
      if (run.test()) {
        walked(pending, a);
        return;
      }
      ElementKey element = new ElementKey(run, a.getActivityId());
      long[] counts = pending.elementCounts.computeIfAbsent(element, k -> new long[3]);
      if (a.isEventOfType(HistoryEventTypes.ACTIVITY_INSTANCE_START)) {
        counts[0]++;
        ElementKey gateway = pending.gatewaysLeft.get(a.getProcessInstanceId());
        JourneyProcesses.Info info = gateway == null ? null : JourneyProcesses.of(a.getProcessDefinitionId());
        if (info != null && info.gatewayTargets().getOrDefault(gateway.elementId(), Set.of()).contains(a.getActivityId())) {
          pending.gatewaysLeft.remove(a.getProcessInstanceId());
          pending.elementCounts.get(gateway)[1]++;
        }
      } else if (a.isEventOfType(HistoryEventTypes.ACTIVITY_INSTANCE_END)) {
        if (a.isCanceled() && "eventBasedGateway".equals(a.getActivityType())) {
          // the engine cancels an event-based gateway's wait also when one of its events wins: then that
          // event starts next in the same transaction, and the gateway counts as completed
          pending.gatewaysLeft.put(a.getProcessInstanceId(), element);
        } else if (a.isCanceled()) {
          counts[2]++;
        } else {
          counts[1]++;
          walked(pending, a);
        }
      }
    }
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      write(pending);
    }
  }

  /** What the instance's row needs of a completed element: the end event it ended at, the message that ended a wait. */
  private static void walked(Pending pending, HistoricActivityInstanceEventEntity a) {
    if (!a.isEventOfType(HistoryEventTypes.ACTIVITY_INSTANCE_END) || a.isCanceled()) {
      return;
    }
    if (a.getActivityType() != null && a.getActivityType().endsWith("EndEvent")) {
      // the engine names the event subprocess as the end of an instance that one ends
      pending.lastEndEvent.put(a.getProcessInstanceId(), a.getActivityId());
    }
    JourneyProcesses.Info info = JourneyProcesses.of(a.getProcessDefinitionId());
    String message = info == null ? null : info.messages().get(a.getActivityId());
    if (message != null) {
      pending.lastMessage.put(a.getProcessInstanceId(), message);
    }
  }

  private void started(Pending pending, HistoricProcessInstanceEventEntity p) {
    JourneyProcesses.Info info = JourneyProcesses.of(p.getProcessDefinitionId());
    if (info == null) {
      return;
    }
    LocalDateTime startedAt = utc(p.getStartTime() == null ? Instant.now() : p.getStartTime().toInstant());
    RunKey key = new RunKey(info.key(), info.version(), startedAt.truncatedTo(ChronoUnit.HOURS), TestWalks.starting());
    LoggedRun run = new LoggedRun(p.getProcessInstanceId(), key, p.getBusinessKey() == null ? "" : p.getBusinessKey(), startedAt);
    pending.started.put(run.instanceId, run);
    if (!key.test()) {
      pending.runCounts.computeIfAbsent(key, k -> new long[1 + END_REASONS.size()])[0]++;
    }
    known.remember(run.instanceId, key);
  }

  private void ended(Pending pending, HistoricProcessInstanceEventEntity p) {
    JourneyProcesses.Info info = JourneyProcesses.of(p.getProcessDefinitionId());
    RunKey key = runKey(pending, p.getProcessInstanceId(), p.getProcessDefinitionId());
    if (info == null || key == null) {
      return;
    }
    String reason = EndReasons.of(p, info, pending.lastMessage.get(p.getProcessInstanceId()));
    LoggedRun run = pending.started.get(p.getProcessInstanceId());
    if (run == null) {
      run = new LoggedRun(p.getProcessInstanceId(), key, null, null);
      pending.ended.put(run.instanceId, run);
    }
    run.endedAt = utc(p.getEndTime() == null ? Instant.now() : p.getEndTime().toInstant());
    run.endReason = reason;
    run.endElementId = EndReasons.deleted(p) ? null
        : pending.lastEndEvent.getOrDefault(p.getProcessInstanceId(), p.getEndActivityId());
    if ("erased".equals(reason)) {
      pending.erased.add(run.instanceId);
    }
    if (!key.test()) {
      pending.runCounts.computeIfAbsent(key, k -> new long[1 + END_REASONS.size()])[1 + END_REASONS.indexOf(reason)]++;
    }
  }

  private RunKey runKey(Pending pending, String instanceId, String processDefinitionId) {
    LoggedRun started = pending.started.get(instanceId);
    if (started != null) {
      return started.key;
    }
    JourneyProcesses.Info info = JourneyProcesses.of(processDefinitionId);
    if (info == null) {
      return null;
    }
    RunKey key = known.find(instanceId, info);
    return key != null ? key : adopt(pending, instanceId, info);
  }

  /**
   * An instance that started before the journey log existed: it gets its row now, entered at the start
   * time Camunda's history recorded for it then (or now, if that is gone), and counts from this step on.
   */
  private RunKey adopt(Pending pending, String instanceId, JourneyProcesses.Info info) {
    HistoricProcessInstanceEntity historic = Context.getCommandContext().getHistoricProcessInstanceManager()
        .findHistoricProcessInstance(instanceId);
    ExecutionEntity execution = Context.getCommandContext().getExecutionManager().findExecutionById(instanceId);
    Instant start = historic != null && historic.getStartTime() != null ? historic.getStartTime().toInstant() : Instant.now();
    String businessKey = execution != null ? execution.getBusinessKey() : historic != null ? historic.getBusinessKey() : null;
    LocalDateTime startedAt = utc(start);
    RunKey key = new RunKey(info.key(), info.version(), startedAt.truncatedTo(ChronoUnit.HOURS), false);
    pending.started.put(instanceId, new LoggedRun(instanceId, key, businessKey == null ? "" : businessKey, startedAt));
    pending.runCounts.computeIfAbsent(key, k -> new long[1 + END_REASONS.size()])[0]++;
    known.remember(instanceId, key);
    return key;
  }

  private Pending pending() {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      return new Pending();
    }
    Pending pending = (Pending) TransactionSynchronizationManager.getResource(this);
    if (pending == null) {
      pending = new Pending();
      TransactionSynchronizationManager.bindResource(this, pending);
      TransactionSynchronizationManager.registerSynchronization(pending);
    }
    return pending;
  }

  private void write(Pending pending) {
    // a gateway whose wait ended and nothing followed: the instance was ended there
    pending.gatewaysLeft.values().forEach(gateway -> pending.elementCounts.get(gateway)[2]++);
    pending.gatewaysLeft.clear();
    writer.write(pending.started.values(), pending.ended.values(), pending.erased, pending.runCounts, pending.elementCounts);
    if (!pending.moves.isEmpty()) {
      migrations.write(pending.moves);
    }
    pending.moves.clear();
    pending.runCounts.forEach((key, counts) -> pending.enteredMetric.merge(key.journeyKey(), counts[0], Long::sum));
    pending.elementCounts.forEach((key, counts) -> pending.stepsMetric.merge(List.of(key.run().journeyKey(), key.elementId()),
        counts[1], Long::sum));
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      publish(pending);
    }
    pending.started.clear();
    pending.ended.clear();
    pending.erased.clear();
    pending.runCounts.clear();
    pending.elementCounts.clear();
  }

  private void publish(Pending pending) {
    metrics.entered(pending.enteredMetric);
    metrics.stepsCompleted(pending.stepsMetric);
    pending.enteredMetric.clear();
    pending.stepsMetric.clear();
  }

  static LocalDateTime utc(Instant instant) {
    return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
  }
}
