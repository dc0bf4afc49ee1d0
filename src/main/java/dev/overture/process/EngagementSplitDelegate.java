package dev.overture.process;

import dev.overture.delivery.Engagements;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Split on engagement": how the profile engaged with the message that Send step {@code engagementStep} of this
 * instance sent ({@link Engagements#PRECEDENCE}: unsubscribed, bounced, clicked, opened, none), into the result
 * variable ({@code engagement} by default) for an exclusive gateway to route on. Reads the outbox when it runs, so it
 * decides right whether or not a "Wait for engagement" came before it and whatever ended that wait.
 */
@Component("engagementSplit")
class EngagementSplitDelegate implements JavaDelegate {

  private final Engagements engagements;

  EngagementSplitDelegate(Engagements engagements) {
    this.engagements = engagements;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Map<String, String> properties = TaskProperties.of(execution);
    String step = properties.get(Engagements.STEP_PROPERTY);
    if (step == null || step.isBlank()) {
      throw new IllegalStateException("Task '" + execution.getCurrentActivityId() + "' needs the Send step it splits on ("
          + Engagements.STEP_PROPERTY + ")");
    }
    String outcome = engagements.of(Variables.profileId(execution), execution.getProcessInstanceId(), step.trim());
    execution.setVariable(properties.getOrDefault("resultVariable", "engagement"), outcome);
  }
}
