package dev.overture.journey.internal;

import org.camunda.bpm.engine.impl.history.event.HistoricActivityInstanceEventEntity;

/**
 * The history event of an activity instance that a migration moved, carrying where it came from: Camunda's own
 * event names only the target element, and the journey log counts the wait as leaving the source element of the old
 * version ({@link JourneyLogMigrations}).
 */
final class MigratedActivity extends HistoricActivityInstanceEventEntity {

  private static final long serialVersionUID = 1L;

  private final String sourceProcessDefinitionId;
  private final String sourceActivityId;

  MigratedActivity(String sourceProcessDefinitionId, String sourceActivityId) {
    this.sourceProcessDefinitionId = sourceProcessDefinitionId;
    this.sourceActivityId = sourceActivityId;
  }

  String sourceProcessDefinitionId() {
    return sourceProcessDefinitionId;
  }

  String sourceActivityId() {
    return sourceActivityId;
  }
}
