package dev.overture.process;

import dev.overture.campaign.Campaigns;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Enroll audience": enters the audience (a segment through the enrollment mechanism, or one proof profile) into a journey.
 * Idempotent per process instance and step, so a retried job enrolls nobody twice.
 */
@Component("enrollAudience")
class EnrollAudienceDelegate implements JavaDelegate {

  private final Campaigns campaigns;

  EnrollAudienceDelegate(Campaigns campaigns) {
    this.campaigns = campaigns;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Object campaignId = execution.getVariable(Campaigns.CAMPAIGN_ID);
    Object profileId = execution.getVariable("audienceProfileId");
    Object segmentKey = execution.getVariable("segmentKey");
    long count = campaigns.enroll(campaignId == null ? null : campaignId.toString(),
        Variables.required(execution, "journeyKey"), segmentKey == null ? null : segmentKey.toString(),
        profileId == null ? null : profileId.toString(),
        execution.getProcessInstanceId() + ":" + execution.getCurrentActivityId());
    execution.setVariable(Variables.optional(execution, "resultVariable", "enrolledCount"), count);
  }
}
