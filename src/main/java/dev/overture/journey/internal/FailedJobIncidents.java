package dev.overture.journey.internal;

import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.incident.DefaultIncidentHandler;
import org.camunda.bpm.engine.impl.incident.IncidentContext;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.runtime.Incident;

/**
 * Camunda's handler of failed-job incidents, without its look for an incident when a job that has retries
 * left is deleted. The engine opens a failed-job incident exactly when a job's retries reach 0 and resolves
 * it when they are raised again ({@code JobEntity.setRetries}), so a job with retries has none; yet every
 * job deleted (a timer cancelled when its event-based gateway catches the message, a job done) asked the
 * database for one. A job with no retries left, or one not in the command's cache, is asked about as before.
 */
final class FailedJobIncidents extends DefaultIncidentHandler {

  FailedJobIncidents() {
    super(Incident.FAILED_JOB_HANDLER_TYPE);
  }

  @Override
  public void deleteIncident(IncidentContext context) {
    if (!hasRetriesLeft(context.getConfiguration())) {
      super.deleteIncident(context);
    }
  }

  private static boolean hasRetriesLeft(String jobId) {
    CommandContext command = Context.getCommandContext();
    if (command == null || jobId == null) {
      return false;
    }
    JobEntity job = command.getDbEntityManager().getCachedEntity(JobEntity.class, jobId);
    return job != null && job.getRetries() > 0;
  }
}
