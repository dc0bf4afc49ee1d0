package dev.overture.journey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.journey.JourneyCatalog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.impl.history.event.HistoricActivityInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoricProcessInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.pvm.runtime.ActivityInstanceState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The journey log as an interpreter of history events, without an engine or a database: the events one
 * transaction produces go in, and what the writer is handed at commit (rows, counters) and the metrics after
 * it come out. JourneyLogTest runs the same against the real engine and tables.
 */
class JourneyLogInterpreterTest {

  private static final String DEFINITION = "welcome-test:1:unit";
  private static final String DEFINITION_2 = "welcome-test:2:unit";
  private static final Instant ENTERED = Instant.parse("2026-12-04T10:15:30Z");
  private static final RunKey KEY = new RunKey("welcome-test", 1, LocalDateTime.of(2026, 12, 4, 10, 0), false);

  /** What the writer was handed, copied (the log clears its collections after each write). */
  private final List<LoggedRun> started = new ArrayList<>();
  private final List<LoggedRun> ended = new ArrayList<>();
  private final Map<RunKey, long[]> runCounts = new TreeMap<>();
  private final Map<ElementKey, long[]> elementCounts = new TreeMap<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private JourneyLog log;

  @BeforeEach
  void aJourneyAndAnOpenTransaction() {
    JourneyProcesses.know(new JourneyProcesses.Info(DEFINITION, "welcome-test", 1, true, "purchase.completed",
        Map.of("Event_Purchase", "purchase.completed", "Event_Unsubscribed", "email.unsubscribed"),
        Map.of("Gateway_Wait", Set.of("Event_Purchase", "Event_Unsubscribed", "Event_ThreeDays"))));
    JourneyLogWriter writer = new JourneyLogWriter(null) {
      @Override
      void write(Collection<LoggedRun> s, Collection<LoggedRun> e, Set<String> erased, SortedMap<RunKey, long[]> runs,
          SortedMap<ElementKey, long[]> elements) {
        started.addAll(s);
        ended.addAll(e);
        runs.forEach((k, v) -> runCounts.put(k, v.clone()));
        elements.forEach((k, v) -> elementCounts.put(k, v.clone()));
      }
    };
    log = new JourneyLog(writer, new JourneyLogMetrics(meters), new JourneyRunKeys(null), new JourneyLogMigrations(null, null));
    TransactionSynchronizationManager.initSynchronization();
  }

  @AfterEach
  void closeTheTransaction() {
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.clearSynchronization();
    }
  }

  @Test
  void anEntryThatReachesItsGoalIsOneRowCountedAtCommitAndInTheMetricsAfterIt() {
    log.handle(instance(HistoryEventTypes.PROCESS_INSTANCE_START, "i-1", null));
    walk("i-1", "StartEvent_Entered", "startEvent");
    walk("i-1", "Task_SendWelcome", "serviceTask");
    log.handle(activity(HistoryEventTypes.ACTIVITY_INSTANCE_START, "i-1", "Gateway_Wait", "eventBasedGateway", false));
    // the engine cancels the gateway's wait when one of its events wins, and that event starts next
    log.handle(activity(HistoryEventTypes.ACTIVITY_INSTANCE_END, "i-1", "Gateway_Wait", "eventBasedGateway", true));
    walk("i-1", "Event_Purchase", "intermediateMessageCatch");
    walk("i-1", "End_Converted", "noneEndEvent");
    HistoricProcessInstanceEventEntity end = instance(HistoryEventTypes.PROCESS_INSTANCE_END, "i-1", HistoricProcessInstance.STATE_COMPLETED);
    end.setEndActivityId("End_Converted");
    log.handle(end);
    assertThat(started).as("nothing is written before the commit").isEmpty();

    commit();

    assertThat(started).singleElement().satisfies(run -> {
      assertThat(run.instanceId).isEqualTo("i-1");
      assertThat(run.key).isEqualTo(KEY);
      assertThat(run.profileId).isEqualTo("p-1");
      assertThat(run.endReason).isEqualTo("goal_reached");
      assertThat(run.endElementId).isEqualTo("End_Converted");
    });
    long[] counts = runCounts.get(KEY);
    assertThat(counts[0]).as("entered").isEqualTo(1);
    assertThat(counts[1 + JourneyLog.END_REASONS.indexOf("goal_reached")]).isEqualTo(1);
    assertThat(elementCounts.get(new ElementKey(KEY, "Gateway_Wait"))).as("the gateway completed, not cancelled")
        .containsExactly(1, 1, 0);
    assertThat(elementCounts.get(new ElementKey(KEY, "Event_Purchase"))).containsExactly(1, 1, 0);
    assertThat(meters.get("overture.journeys.entered").tag("journey", "welcome-test").counter().count()).isEqualTo(1.0);
    assertThat(meters.get("overture.journey.steps.completed").tag("element", "Gateway_Wait").counter().count()).isEqualTo(1.0);
  }

  @Test
  void anInstanceExitedThroughTheApiEndsAsExitedByApiAndItsWaitCountsAsCancelled() {
    log.handle(instance(HistoryEventTypes.PROCESS_INSTANCE_START, "i-2", null));
    log.handle(activity(HistoryEventTypes.ACTIVITY_INSTANCE_START, "i-2", "Event_ThreeDays", "intermediateTimer", false));
    log.handle(activity(HistoryEventTypes.ACTIVITY_INSTANCE_END, "i-2", "Event_ThreeDays", "intermediateTimer", true));
    HistoricProcessInstanceEventEntity end = instance(HistoryEventTypes.PROCESS_INSTANCE_END, "i-2",
        HistoricProcessInstance.STATE_EXTERNALLY_TERMINATED);
    end.setDeleteReason(JourneyCatalog.EXITED_BY_API);
    log.handle(end);

    commit();

    assertThat(started).singleElement().satisfies(run -> {
      assertThat(run.endReason).isEqualTo("exited_by_api");
      assertThat(run.endElementId).isNull();
    });
    assertThat(runCounts.get(KEY)[1 + JourneyLog.END_REASONS.indexOf("exited_by_api")]).isEqualTo(1);
    assertThat(elementCounts.get(new ElementKey(KEY, "Event_ThreeDays"))).containsExactly(1, 0, 1);
  }

  @Test
  void aRolledBackTransactionWritesNothingAndCountsNoMetric() {
    log.handle(instance(HistoryEventTypes.PROCESS_INSTANCE_START, "i-3", null));
    walk("i-3", "StartEvent_Entered", "startEvent");

    List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
    TransactionSynchronizationManager.clearSynchronization();
    synchronizations.forEach(s -> s.afterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK));

    assertThat(started).isEmpty();
    assertThat(runCounts).isEmpty();
    assertThat(meters.find("overture.journeys.entered").counter()).isNull();
  }

  @Test
  void aStepOfAnInstanceMigratedElsewhereCountsUnderTheVersionItRunsInWithoutARead() {
    // this node started the instance on version 1 and remembers it so; another node migrated it to version 2
    log.handle(instance(HistoryEventTypes.PROCESS_INSTANCE_START, "i-4", null));
    commit();
    JourneyProcesses.know(new JourneyProcesses.Info(DEFINITION_2, "welcome-test", 2, true, "purchase.completed", Map.of(), Map.of()));
    TransactionSynchronizationManager.initSynchronization();

    // the runs' memory has no database here: a read would fail
    HistoricActivityInstanceEventEntity timer = activity(HistoryEventTypes.ACTIVITY_INSTANCE_END, "i-4", "Event_ThreeDays",
        "intermediateTimer", false);
    timer.setProcessDefinitionId(DEFINITION_2);
    log.handle(timer);
    commit();

    RunKey onVersion2 = new RunKey("welcome-test", 2, KEY.hour(), false);
    assertThat(elementCounts.get(new ElementKey(onVersion2, "Event_ThreeDays"))).as("counted under version 2").containsExactly(0, 1, 0);
    assertThat(elementCounts).doesNotContainKey(new ElementKey(KEY, "Event_ThreeDays"));
  }

  /** What Spring does at a commit: before it, the writes; after it, the metrics. */
  private static void commit() {
    List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
    synchronizations.forEach(s -> s.beforeCommit(false));
    TransactionSynchronizationManager.clearSynchronization();
    synchronizations.forEach(TransactionSynchronization::afterCommit);
    synchronizations.forEach(s -> s.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));
  }

  private void walk(String instanceId, String activityId, String type) {
    log.handle(activity(HistoryEventTypes.ACTIVITY_INSTANCE_START, instanceId, activityId, type, false));
    log.handle(activity(HistoryEventTypes.ACTIVITY_INSTANCE_END, instanceId, activityId, type, false));
  }

  private static HistoricProcessInstanceEventEntity instance(HistoryEventTypes type, String instanceId, String state) {
    HistoricProcessInstanceEventEntity e = new HistoricProcessInstanceEventEntity();
    e.setEventType(type.getEventName());
    e.setProcessInstanceId(instanceId);
    e.setProcessDefinitionId(DEFINITION);
    e.setBusinessKey("p-1");
    e.setStartTime(Date.from(ENTERED));
    e.setEndTime(Date.from(ENTERED.plusSeconds(60)));
    e.setState(state);
    return e;
  }

  private static HistoricActivityInstanceEventEntity activity(HistoryEventTypes type, String instanceId, String activityId,
      String activityType, boolean cancelled) {
    HistoricActivityInstanceEventEntity e = new HistoricActivityInstanceEventEntity();
    e.setEventType(type.getEventName());
    e.setProcessInstanceId(instanceId);
    e.setProcessDefinitionId(DEFINITION);
    e.setActivityId(activityId);
    e.setActivityType(activityType);
    if (cancelled) {
      e.setActivityInstanceState(ActivityInstanceState.CANCELED.getStateCode());
    }
    return e;
  }
}
