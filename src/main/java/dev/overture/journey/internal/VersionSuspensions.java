package dev.overture.journey.internal;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.identity.Authentication;

/**
 * Only a journey's live version is an active process definition: Camunda starts nothing of a suspended one, neither
 * an instance by key nor one by a message start event (which subscribes on the newest version only, a draft's
 * included). A retired version's running instances go on: its job definitions stay active, so that the timers and
 * asynchronous steps they create later are not born suspended. Done as the engine itself, not as the person whose
 * review or deployment caused it.
 */
final class VersionSuspensions {

  private VersionSuspensions() {}

  /** The version takes new instances again. */
  static void live(ProcessEngine engine, String definitionId) {
    asEngine(engine, () -> engine.getRepositoryService().updateProcessDefinitionSuspensionState()
        .byProcessDefinitionId(definitionId).includeProcessInstances(false).activate());
  }

  /** The version takes no new instances; its running ones, their timers and asynchronous steps go on. */
  static void retire(ProcessEngine engine, String definitionId) {
    asEngine(engine, () -> {
      engine.getRepositoryService().updateProcessDefinitionSuspensionState().byProcessDefinitionId(definitionId)
          .includeProcessInstances(false).suspend();
      engine.getManagementService().updateJobDefinitionSuspensionState().byProcessDefinitionId(definitionId)
          .includeJobs(false).activate();
    });
  }

  private static void asEngine(ProcessEngine engine, Runnable change) {
    IdentityService identity = engine.getIdentityService();
    Authentication caller = identity.getCurrentAuthentication();
    identity.clearAuthentication();
    try {
      change.run();
    } finally {
      if (caller != null) {
        identity.setAuthentication(caller);
      }
    }
  }
}
