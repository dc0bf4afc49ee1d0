package dev.overture.journey.internal;

import dev.overture.journey.JourneyCatalog;
import dev.overture.journey.Journeys;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.impl.history.event.HistoricProcessInstanceEventEntity;

/** Why a journey instance ended, as {@code journey_run.end_reason} names it ({@link JourneyLog#END_REASONS}). */
final class EndReasons {

  private EndReasons() {}

  /**
   * The end reason (docs/journeys.md): an instance deleted from outside says why in its delete reason
   * (exit by API, erasure, anything else is a cancellation); one that ran to an end event in the same
   * transaction as a message catch ended because of that message (the goal's event type, or another).
   */
  static String of(HistoricProcessInstanceEventEntity p, JourneyProcesses.Info info, String lastMessage) {
    if (deleted(p)) {
      if (JourneyCatalog.EXITED_BY_API.equals(p.getDeleteReason())) {
        return "exited_by_api";
      }
      if (Journeys.ERASED.equals(p.getDeleteReason())) {
        return "erased";
      }
      return "cancelled";
    }
    if (lastMessage != null) {
      return lastMessage.equals(info.goal()) ? "goal_reached" : "exited_by_event";
    }
    return "completed";
  }

  /** Deleted through the API (with or without {@code externallyTerminated}), not run to an end. */
  static boolean deleted(HistoricProcessInstanceEventEntity p) {
    return HistoricProcessInstance.STATE_EXTERNALLY_TERMINATED.equals(p.getState())
        || p.getDeleteReason() != null && !HistoricProcessInstance.STATE_COMPLETED.equals(p.getState());
  }
}
