package dev.overture.process;

import dev.overture.campaign.Campaigns;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Close campaign": the end date has passed. */
@Component("closeCampaign")
class CloseCampaignDelegate implements JavaDelegate {

  private final Campaigns campaigns;

  CloseCampaignDelegate(Campaigns campaigns) {
    this.campaigns = campaigns;
  }

  @Override
  public void execute(DelegateExecution execution) {
    campaigns.close(Variables.required(execution, Campaigns.CAMPAIGN_ID));
  }
}
