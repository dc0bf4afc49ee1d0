package dev.overture.process;

import dev.overture.campaign.Campaigns;
import dev.overture.campaign.ReviewRules;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Remind reviewers": a review has waited a day; the group gets an email, the task stays where it is. */
@Component("remindReviewers")
class RemindReviewersDelegate implements JavaDelegate {

  private final Campaigns campaigns;

  RemindReviewersDelegate(Campaigns campaigns) {
    this.campaigns = campaigns;
  }

  @Override
  public void execute(DelegateExecution execution) {
    campaigns.remind(Variables.required(execution, Campaigns.CAMPAIGN_ID), Variables.required(execution, "group"),
        ReviewRules.stepOf(Variables.required(execution, "reviewTask")));
  }
}
