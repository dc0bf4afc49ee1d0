package dev.overture.process;

import dev.overture.journey.JourneyVersions;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * The review task of journey-version-review.bpmn: on create, clears an earlier decision (the form starts empty); on
 * complete, hands the decision to {@link JourneyVersions#decide}, which enforces the four-eyes rule and makes the
 * version live or returns it. A refusal throws and Tasklist shows its message.
 */
@Component("journeyVersionTask")
class JourneyVersionTaskListener implements TaskListener {

  static final String DECISION = "versionDecision";
  static final String COMMENT = "versionComment";

  private final JourneyVersions versions;

  JourneyVersionTaskListener(JourneyVersions versions) {
    this.versions = versions;
  }

  @Override
  public void notify(DelegateTask task) {
    if (EVENTNAME_CREATE.equals(task.getEventName())) {
      task.getExecution().removeVariable(DECISION);
      task.getExecution().removeVariable(COMMENT);
      return;
    }
    versions.decide(Variables.required(task.getExecution(), "journeyKey"), ((Number) task.getVariable("version")).intValue(),
        TaskActors.of(task), (String) task.getVariable(DECISION), (String) task.getVariable(COMMENT));
  }
}
