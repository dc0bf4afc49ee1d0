package dev.overture.process;

import dev.overture.campaign.Campaigns;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Escalate to group lead": a review has waited three days; the group's lead gets it assigned. */
@Component("escalateReview")
class EscalateReviewDelegate implements JavaDelegate {

  private final Campaigns campaigns;

  EscalateReviewDelegate(Campaigns campaigns) {
    this.campaigns = campaigns;
  }

  @Override
  public void execute(DelegateExecution execution) {
    campaigns.escalate(Variables.required(execution, Campaigns.CAMPAIGN_ID), execution.getProcessInstanceId(),
        Variables.required(execution, "group"), Variables.required(execution, "reviewTask"));
  }
}
