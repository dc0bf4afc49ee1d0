package dev.overture.journey.internal;

import java.util.Date;
import org.camunda.bpm.engine.impl.history.DefaultHistoryRemovalTimeProvider;
import org.camunda.bpm.engine.impl.history.event.HistoricProcessInstanceEventEntity;
import org.camunda.bpm.engine.repository.ProcessDefinition;

/**
 * Camunda's removal times, except for customer journeys. With the default strategy ({@code end}) the engine
 * gives an ended root instance a removal time by one {@code UPDATE … SET REMOVAL_TIME_} in each of its 16
 * history tables, a third of the statements of a reaction that ends a journey; a journey writes none of those
 * rows (the journey level keeps only the user-operation log there, a staff member's action in Cockpit, which then
 * has no removal time and stays as the audit of it). Approval processes keep their removal times and Camunda's
 * history cleanup.
 */
final class JourneyRemovalTimes extends DefaultHistoryRemovalTimeProvider {

  @Override
  public Date calculateRemovalTime(HistoricProcessInstanceEventEntity instance, ProcessDefinition definition) {
    if (definition != null && JourneyProcesses.isJourney(definition.getId())) {
      return null;
    }
    return super.calculateRemovalTime(instance, definition);
  }
}
