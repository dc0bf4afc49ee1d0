package dev.overture.journey.internal;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

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

  /**
   * The version takes no new instances; its running ones, their timers and asynchronous steps go on. {@code inCommand}:
   * called inside an engine command (a review task's completion), whose flush would put the two updates of the job
   * definitions in an order of its own; their activation then runs when the transaction commits, as a command of its own.
   */
  static void retire(ProcessEngine engine, String definitionId, boolean inCommand) {
    asEngine(engine, () -> engine.getRepositoryService().updateProcessDefinitionSuspensionState()
        .byProcessDefinitionId(definitionId).includeProcessInstances(false).suspend());
    Runnable activateJobs = () -> asEngine(engine, () -> engine.getManagementService().updateJobDefinitionSuspensionState()
        .byProcessDefinitionId(definitionId).includeJobs(false).activate());
    if (inCommand && TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void beforeCommit(boolean readOnly) {
          activateJobs.run();
        }
      });
    } else {
      activateJobs.run();
    }
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
