package dev.overture.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every path of bpmn/campaign-launch.bpmn with its delegates and task listener as Mockito mocks: both reviews to the
 * start date, the enrollment and the end date; a rejection back to the author, who resubmits or withdraws; reminders
 * and escalations beside a review that waits. What the delegates do (four eyes, audit, creative versions, emails)
 * is tested in the shared app: {@link CampaignLaunchProcessTest}.
 */
@Deployment(resources = "bpmn/campaign-launch.bpmn")
class CampaignLaunchPathTest extends JourneyPathTestBase {

  private final Instant startAt = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
  private final Instant endAt = startAt.plus(7, ChronoUnit.DAYS);
  private final TaskListener campaignTask = mock(TaskListener.class);
  private final JavaDelegate prepareReview = mock(JavaDelegate.class);
  private final JavaDelegate remindReviewers = mock(JavaDelegate.class);
  private final JavaDelegate escalateReview = mock(JavaDelegate.class);
  private final JavaDelegate approveCreatives = mock(JavaDelegate.class);
  private final JavaDelegate enrollAudience = mock(JavaDelegate.class);
  private final JavaDelegate closeCampaign = mock(JavaDelegate.class);

  @BeforeEach
  void campaignDelegates() {
    Mocks.register("campaignTask", campaignTask);
    Mocks.register("prepareCampaignReview", prepareReview);
    Mocks.register("remindReviewers", remindReviewers);
    Mocks.register("escalateReview", escalateReview);
    Mocks.register("approveCampaignCreatives", approveCreatives);
    Mocks.register("enrollAudience", enrollAudience);
    Mocks.register("closeCampaign", closeCampaign);
  }

  @Test
  void anApprovedCampaignEnrollsAtItsStartAndClosesAtItsEnd() throws Exception {
    ProcessInstance pi = submitted();
    verify(prepareReview).execute(any());
    assertThat(pi).isWaitingAt("Task_CreativeReview");
    assertThat(task(pi)).hasCandidateGroup("creative-reviewers");

    decide(pi, "creativeDecision", "approve");
    assertThat(pi).isWaitingAt("Task_ComplianceReview");
    assertThat(task(pi)).hasCandidateGroup("compliance-officers");
    verify(approveCreatives, never()).execute(any());

    decide(pi, "complianceDecision", "approve");
    verify(approveCreatives).execute(any());
    assertThat(pi).isWaitingAt("Event_StartAtReached");
    Job start = fire(pi, "Event_StartAtReached");
    assertThat(start.getDuedate().toInstant()).isEqualTo(startAt);

    assertThat(pi).isWaitingAt("Task_EnrollAudience");
    fire(pi, "Task_EnrollAudience");
    verify(enrollAudience).execute(any());
    assertThat(pi).isWaitingAt("Event_EndAtReached");
    Job end = fire(pi, "Event_EndAtReached");

    assertThat(end.getDuedate().toInstant()).isEqualTo(endAt);
    verify(closeCampaign).execute(any());
    assertThat(pi).hasPassed("Task_CloseCampaign", "EndEvent_CampaignClosed").isEnded();
    // create and complete of each review
    verify(campaignTask, times(4)).notify(any());
  }

  @Test
  void aRejectionGoesBackToTheAuthorAndTheResubmissionIsReviewedAgainFromTheStart() throws Exception {
    ProcessInstance pi = submitted();
    decide(pi, "creativeDecision", "reject");
    assertThat(pi).isWaitingAt("Task_Revise");
    assertThat(task(pi)).isAssignedTo("author-1");

    decide(pi, "revisionDecision", "resubmit");
    assertThat(pi).isWaitingAt("Task_CreativeReview");
    verify(prepareReview, times(2)).execute(any());
    decide(pi, "creativeDecision", "approve");
    decide(pi, "complianceDecision", "reject");
    assertThat(pi).isWaitingAt("Task_Revise");
    decide(pi, "revisionDecision", "resubmit");
    decide(pi, "creativeDecision", "approve");
    decide(pi, "complianceDecision", "approve");

    assertThat(pi).isWaitingAt("Event_StartAtReached");
    verify(prepareReview, times(3)).execute(any());
  }

  @Test
  void aWithdrawnCampaignEndsWithoutEnrollment() throws Exception {
    ProcessInstance pi = submitted();
    decide(pi, "creativeDecision", "reject");

    decide(pi, "revisionDecision", "withdraw");

    assertThat(pi).hasPassed("EndEvent_Withdrawn").isEnded();
    verify(approveCreatives, never()).execute(any());
    verify(enrollAudience, never()).execute(any());
  }

  @Test
  void aReviewThatWaitsRemindsAfterADayAndEscalatesAfterThreeWhileItStaysOpen() throws Exception {
    ProcessInstance pi = submitted();

    fire(pi, "Boundary_CreativeReviewReminder");
    assertThat(pi).hasPassed("Task_RemindCreativeReviewers", "EndEvent_CreativeReminderSent").isWaitingAt("Task_CreativeReview");
    fire(pi, "Boundary_CreativeReviewEscalation");
    assertThat(pi).hasPassed("Task_EscalateCreativeReview", "EndEvent_CreativeReviewEscalated").isWaitingAt("Task_CreativeReview");

    decide(pi, "creativeDecision", "approve");
    fire(pi, "Boundary_ComplianceReviewReminder");
    fire(pi, "Boundary_ComplianceReviewEscalation");

    assertThat(pi).hasPassed("EndEvent_ComplianceReminderSent", "EndEvent_ComplianceReviewEscalated")
        .isWaitingAt("Task_ComplianceReview");
    verify(remindReviewers, times(2)).execute(any());
    verify(escalateReview, times(2)).execute(any());
  }

  private ProcessInstance submitted() {
    Map<String, Object> variables = new HashMap<>();
    variables.put("author", "author-1");
    variables.put("journeyKey", "welcome");
    variables.put("segmentKey", "vip");
    variables.put("startAt", Date.from(startAt));
    variables.put("endAt", Date.from(endAt));
    return runtime().startProcessInstanceByKey("campaign-launch", "campaign-1", variables);
  }

  /** Completes the open user task with one decision. */
  private void decide(ProcessInstance pi, String variable, String decision) {
    engine.getTaskService().complete(task(pi).getId(), Map.of(variable, decision));
  }
}
