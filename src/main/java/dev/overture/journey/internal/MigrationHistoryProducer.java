package dev.overture.journey.internal;

import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.history.producer.CacheAwareHistoryEventProducer;
import org.camunda.bpm.engine.impl.migration.instance.MigratingActivityInstance;

/**
 * Camunda's history event producer, except that a migrated activity instance of a journey is reported as a
 * {@link MigratedActivity}, which also names the element it was migrated from; approval processes keep Camunda's
 * event for their full history.
 */
final class MigrationHistoryProducer extends CacheAwareHistoryEventProducer {

  @Override
  public HistoryEvent createActivityInstanceMigrateEvt(MigratingActivityInstance instance) {
    if (instance.getTargetScope() == null || !JourneyProcesses.isJourney(instance.getTargetScope().getProcessDefinition().getId())) {
      return super.createActivityInstanceMigrateEvt(instance);
    }
    MigratedActivity event = new MigratedActivity(instance.getSourceScope().getProcessDefinition().getId(),
        instance.getSourceScope().getId());
    initActivityInstanceEvent(event, instance, HistoryEventTypes.ACTIVITY_INSTANCE_MIGRATE);
    return event;
  }
}
