package dev.overture.process;

import dev.overture.campaign.Campaigns;
import dev.overture.campaign.ReviewRules;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * The user tasks of campaign-launch.bpmn: on create, clears the last round's decision (so the form
 * starts empty) and updates the campaign status; on complete, enforces the four-eyes rule and writes
 * the decision to the audit trail. A refusal throws and Tasklist shows its message.
 */
@Component("campaignTask")
class CampaignTaskListener implements TaskListener {

  private final Campaigns campaigns;

  CampaignTaskListener(Campaigns campaigns) {
    this.campaigns = campaigns;
  }

  @Override
  public void notify(DelegateTask task) {
    String step = ReviewRules.stepOf(task.getTaskDefinitionKey());
    String campaignId = (String) task.getVariable(Campaigns.CAMPAIGN_ID);
    String prefix = prefix(step);
    if (EVENTNAME_CREATE.equals(task.getEventName())) {
      task.getExecution().removeVariable(prefix + "Decision");
      task.getExecution().removeVariable(prefix + "Comment");
      if (ReviewRules.REVISION.equals(step)) {
        task.getExecution().removeVariable("revisedSubject");
        task.getExecution().removeVariable("revisedText");
      }
      campaigns.taskOpened(campaignId, step);
      return;
    }
    String decision = (String) task.getVariable(prefix + "Decision");
    String comment = (String) task.getVariable(prefix + "Comment");
    campaigns.decide(campaignId, step, TaskActors.of(task), decision, comment,
        (String) task.getVariable("creativeReviewer"), (String) task.getVariable(Campaigns.VERSIONS_UNDER_REVIEW));
    switch (step) {
      case ReviewRules.CREATIVE_REVIEW -> task.setVariable("creativeReviewer", TaskActors.of(task));
      case ReviewRules.REVISION -> campaigns.revise(campaignId, (String) task.getVariable("revisedSubject"),
          (String) task.getVariable("revisedText"));
      default -> { }
    }
    if (ReviewRules.REJECT.equals(decision)) {
      task.setVariable("rejectionComment", comment);
      task.setVariable("rejectedBy", TaskActors.of(task) + " (" + step + ")");
    }
  }

  private static String prefix(String step) {
    return switch (step) {
      case ReviewRules.CREATIVE_REVIEW -> "creative";
      case ReviewRules.COMPLIANCE_REVIEW -> "compliance";
      default -> "revision";
    };
  }
}
