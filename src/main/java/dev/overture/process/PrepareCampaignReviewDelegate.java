package dev.overture.process;

import dev.overture.campaign.Campaigns;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Prepare review": pins the creative versions of this round and sets what the review forms show. */
@Component("prepareCampaignReview")
class PrepareCampaignReviewDelegate implements JavaDelegate {

  private final Campaigns campaigns;

  PrepareCampaignReviewDelegate(Campaigns campaigns) {
    this.campaigns = campaigns;
  }

  @Override
  public void execute(DelegateExecution execution) {
    execution.setVariables(campaigns.prepareReview(Variables.required(execution, Campaigns.CAMPAIGN_ID)));
    execution.removeVariable("creativeReviewer");
  }
}
