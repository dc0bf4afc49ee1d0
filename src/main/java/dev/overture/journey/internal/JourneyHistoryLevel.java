package dev.overture.journey.internal;

import java.util.Set;
import org.camunda.bpm.engine.impl.history.HistoryLevel;
import org.camunda.bpm.engine.impl.history.event.HistoryEventType;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.migration.instance.MigratingProcessElementInstance;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ExternalTaskEntity;
import org.camunda.bpm.engine.impl.persistence.entity.IncidentEntity;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.impl.persistence.entity.VariableInstanceEntity;

/**
 * Camunda's full history for approval processes (campaign-launch and any process with a user task:
 * the audit trail and Tasklist read it), and for customer journeys only the instance and activity
 * start and end events (and their migrations), which {@link JourneyLog} turns into its narrow rows and counters instead of
 * ACT_HI_* rows: no variables, details, job log or historic incidents per journey step.
 * An event whose process cannot be told (a batch, a user operation) is produced as under full.
 */
final class JourneyHistoryLevel implements HistoryLevel {

  /** The value of {@code camunda.bpm.history-level}. */
  static final String NAME = "overture-journeys";
  /** Stored by the engine in ACT_GE_PROPERTY; any id not used by Camunda's own levels (0-3). */
  static final int ID = 40;

  private static final Set<HistoryEventType> JOURNEY_EVENTS = Set.of(
      HistoryEventTypes.PROCESS_INSTANCE_START, HistoryEventTypes.PROCESS_INSTANCE_END,
      HistoryEventTypes.ACTIVITY_INSTANCE_START, HistoryEventTypes.ACTIVITY_INSTANCE_END,
      // a migration moves the instance and its waits to another version; the log follows (JourneyLogMigrations)
      HistoryEventTypes.PROCESS_INSTANCE_MIGRATE, HistoryEventTypes.ACTIVITY_INSTANCE_MIGRATE);

  @Override
  public int getId() {
    return ID;
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public boolean isHistoryEventProduced(HistoryEventType eventType, Object entity) {
    if (eventType != HistoryEventTypes.USER_OPERATION_LOG && JourneyProcesses.isJourney(processDefinitionId(entity))) {
      return JOURNEY_EVENTS.contains(eventType);
    }
    return HistoryLevel.HISTORY_LEVEL_FULL.isHistoryEventProduced(eventType, entity);
  }

  private static String processDefinitionId(Object entity) {
    if (entity instanceof ExecutionEntity e) {
      return e.getProcessDefinitionId();
    }
    if (entity instanceof VariableInstanceEntity v) {
      // a variable set while its instance starts may not carry the definition yet; its execution does
      return v.getProcessDefinitionId() != null || v.getExecution() == null ? v.getProcessDefinitionId()
          : v.getExecution().getProcessDefinitionId();
    }
    if (entity instanceof JobEntity j) {
      return j.getProcessDefinitionId();
    }
    if (entity instanceof IncidentEntity i) {
      return i.getProcessDefinitionId();
    }
    if (entity instanceof ExternalTaskEntity t) {
      return t.getProcessDefinitionId();
    }
    if (entity instanceof MigratingProcessElementInstance m && m.getTargetScope() != null) {
      return m.getTargetScope().getProcessDefinition().getId();
    }
    return null;
  }

  @Override
  public String toString() {
    return NAME + "(" + ID + ")";
  }
}
