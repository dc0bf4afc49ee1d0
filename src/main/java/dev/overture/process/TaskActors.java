package dev.overture.process;

import org.camunda.bpm.engine.delegate.DelegateTask;

/** Who completes a user task: the signed-in user (Tasklist, REST), else the assignee. Review decisions are theirs. */
final class TaskActors {

  private TaskActors() {}

  static String of(DelegateTask task) {
    var auth = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    return auth != null && auth.getUserId() != null ? auth.getUserId() : task.getAssignee();
  }
}
