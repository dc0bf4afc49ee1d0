package dev.overture.process;

import dev.overture.experiment.AutoWinner;
import dev.overture.experiment.Experiments;
import dev.overture.journey.Journeys;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * "Split": puts the profile into one of weighted variants ("A:45,B:45,control:10") of an experiment
 * (input {@code experimentKey}, default journeyKey/taskId) and records the assignment; {@code controlVariant}
 * names the arm that sends nothing. The draw is a hash of experiment and profile, so it is random across
 * profiles but sticky for one profile: re-entering the journey lands in the same variant. With an
 * {@code overture:auto-winner} rule ({@link AutoWinner}) every entry after the experiment's decision gets the winner.
 */
@Component("split")
class SplitDelegate implements JavaDelegate {

  private final Experiments experiments;
  private final Journeys journeys;
  private final int defaultSample;

  SplitDelegate(Experiments experiments, Journeys journeys,
      @Value("${overture.experiments.minimum-sample:100}") int defaultSample) {
    this.experiments = experiments;
    this.journeys = journeys;
    this.defaultSample = defaultSample;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Experiments.SplitAt at = new Experiments.SplitAt(execution.getProcessInstanceId(), Variables.journeyKey(execution),
        Variables.journeyVersion(execution), execution.getCurrentActivityId(),
        journeys.isTestWalk(execution.getProcessInstanceId(), execution.getProcessDefinitionId()) || Variables.dryRun(execution));
    Experiments.Assignment assignment = experiments.assign(at, Variables.profileId(execution),
        Variables.optional(execution, "experimentKey", null), Variables.required(execution, "variants"),
        Variables.optional(execution, "controlVariant", null), AutoWinner.of(TaskProperties.of(execution), defaultSample));
    execution.setVariable(Variables.optional(execution, "resultVariable", "variant"), assignment.variant());
  }
}
