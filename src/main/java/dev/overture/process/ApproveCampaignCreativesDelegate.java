package dev.overture.process;

import dev.overture.campaign.Campaigns;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Mark creatives approved": both reviews passed, so the reviewed versions may be dispatched. */
@Component("approveCampaignCreatives")
class ApproveCampaignCreativesDelegate implements JavaDelegate {

  private final Campaigns campaigns;

  ApproveCampaignCreativesDelegate(Campaigns campaigns) {
    this.campaigns = campaigns;
  }

  @Override
  public void execute(DelegateExecution execution) {
    campaigns.approveCreatives(Variables.required(execution, Campaigns.CAMPAIGN_ID),
        Variables.required(execution, Campaigns.VERSIONS_UNDER_REVIEW));
  }
}
