package dev.overture.process;

import dev.overture.experiment.Experiments;
import dev.overture.journey.Journeys;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Split": puts the profile into one of weighted variants ("A:45,B:45,control:10") of an experiment
 * (input {@code experimentKey}, default journeyKey/taskId) and records the assignment; {@code controlVariant}
 * names the arm that sends nothing. The draw is a hash of experiment and profile, so it is random across
 * profiles but sticky for one profile: re-entering the journey lands in the same variant.
 */
@Component("split")
class SplitDelegate implements JavaDelegate {

  private final Experiments experiments;
  private final Journeys journeys;

  SplitDelegate(Experiments experiments, Journeys journeys) {
    this.experiments = experiments;
    this.journeys = journeys;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Experiments.SplitAt at = new Experiments.SplitAt(execution.getProcessInstanceId(), Variables.journeyKey(execution),
        Variables.journeyVersion(execution), execution.getCurrentActivityId(),
        journeys.isTestWalk(execution.getProcessInstanceId(), execution.getProcessDefinitionId()) || Variables.dryRun(execution));
    Experiments.Assignment assignment = experiments.assign(at, Variables.profileId(execution),
        Variables.optional(execution, "experimentKey", null), Variables.required(execution, "variants"),
        Variables.optional(execution, "controlVariant", null));
    execution.setVariable(Variables.optional(execution, "resultVariable", "variant"), assignment.variant());
  }
}
