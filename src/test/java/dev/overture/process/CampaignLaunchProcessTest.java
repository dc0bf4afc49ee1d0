package dev.overture.process;

import static dev.overture.campaign.CampaignFixtures.campaign;
import static dev.overture.campaign.CampaignFixtures.draftEmailCreative;
import static dev.overture.campaign.CampaignFixtures.user;

import dev.overture.campaign.CampaignFixtures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import dev.overture.campaign.Campaign;
import dev.overture.campaign.Campaign.AuditEntry;
import dev.overture.campaign.Campaigns;
import dev.overture.platform.FourEyesViolation;
import dev.overture.delivery.Creative;
import dev.overture.delivery.Creatives;
import dev.overture.journey.Journeys;
import dev.overture.profile.Profiles;
import dev.overture.campaign.NewCampaign;
import dev.overture.segment.Segments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import static org.awaitility.Awaitility.await;
import dev.overture.support.AppTestBase;
import dev.overture.support.TestMail;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every path of bpmn/campaign-launch.bpmn in the shared app: the test fires the timers (hours and days away) itself,
 * the job executor runs the async enrollment.
 */
class CampaignLaunchProcessTest extends AppTestBase {

  @Autowired ProcessEngine engine;
  @Autowired Campaigns campaigns;
  @Autowired Creatives creatives;
  @Autowired Profiles profiles;
  @Autowired Segments segments;
  @Autowired Journeys journeys;
  @Autowired JdbcClient jdbc;
  @Autowired IdentityService identity;
  @Autowired TaskService tasks;
  @Autowired ManagementService management;

  String author;
  String creativeReviewer;
  String complianceOfficer;
  String creativeKey;
  String profileId;

  @BeforeEach
  void people() {
    BpmnAwareTests.init(engine);
    author = user(identity, "marketer", "marketers");
    creativeReviewer = user(identity, "reviewer", "creative-reviewers", "compliance-officers");
    complianceOfficer = user(identity, "officer", "compliance-officers");
    creativeKey = draftEmailCreative(creatives, "Spring sale, {{firstName}}", "Hi {{firstName}}, 20% off everything this week.");
    profileId = profiles.upsert(Map.of("email", "c-" + UUID.randomUUID() + "@example.com"), Map.of("firstName", "Kim"))
        .profile().id();
  }

  @AfterEach
  void signOut() {
    identity.clearAuthentication();
  }

  @Test
  void approvedCampaignEnrollsItsAudienceAtTheStartAndClosesAtTheEnd() {
    Campaign c = campaigns.submit(campaign("welcome", profileId, creativeKey, Instant.now().plusSeconds(3600)), "user:" + author);
    ProcessInstance pi = instance(c);
    assertThat(pi).isWaitingAt("Task_CreativeReview");
    assertThat(task(pi)).hasCandidateGroup("creative-reviewers");
    assertThat(tasks.getVariable(task(pi).getId(), "creativePreview").toString())
        .contains("Spring sale, Alex").contains("20% off everything").contains(creativeKey + " v1");

    decide(pi, creativeReviewer, "creative", "approve", null);
    assertThat(pi).isWaitingAt("Task_ComplianceReview");
    assertThat(campaigns.find(c.id()).orElseThrow().status()).isEqualTo(Campaign.IN_COMPLIANCE_REVIEW);
    assertThat(tasks.getVariable(task(pi).getId(), "quietHours").toString())
        .as("compliance sees the quiet hours the dispatcher enforces").contains("between 21:00 and 08:00");
    assertThat(tasks.getVariable(task(pi).getId(), "frequencyCap").toString())
        .contains("email: at most 3 marketing messages per 7 days");
    assertThat(approved(creativeKey, 1)).as("approved only after both reviews").isFalse();

    decide(pi, complianceOfficer, "compliance", "approve", "Footer and consent fine");
    assertThat(pi).isWaitingAt("Event_StartAtReached");
    assertThat(approved(creativeKey, 1)).isTrue();
    assertThat(campaigns.find(c.id()).orElseThrow().status()).isEqualTo(Campaign.SCHEDULED);

    execute(pi, "Event_StartAtReached");
    awaitEnrolled(pi);
    assertThat(pi).isWaitingAt("Event_EndAtReached");
    Campaign running = campaigns.find(c.id()).orElseThrow();
    assertThat(running.status()).isEqualTo(Campaign.RUNNING);
    assertThat(running.enrolled()).isEqualTo(1);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM journey_entry WHERE journey_key = 'welcome' AND profile_id = ?")
        .param(profileId).query(Integer.class).single()).isEqualTo(1);

    execute(pi, "Event_EndAtReached");
    assertThat(pi).hasPassed("Task_CloseCampaign").isEnded();
    Campaign closed = campaigns.find(c.id()).orElseThrow();
    assertThat(closed.status()).isEqualTo(Campaign.CLOSED);
    assertThat(closed.audit()).extracting(AuditEntry::step, AuditEntry::actor, AuditEntry::decision)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("submission", author, "submitted"),
            org.assertj.core.groups.Tuple.tuple("creative-review", creativeReviewer, "approve"),
            org.assertj.core.groups.Tuple.tuple("compliance-review", complianceOfficer, "approve"),
            org.assertj.core.groups.Tuple.tuple("approval", "system", "creatives-approved"),
            org.assertj.core.groups.Tuple.tuple("enrollment", "system", "enrolled"),
            org.assertj.core.groups.Tuple.tuple("closing", "system", "closed"));
    assertThat(closed.audit().get(2).creativeVersions()).isEqualTo(creativeKey + " v1 (email)");
    assertThat(closed.audit().get(2).comment()).isEqualTo("Footer and consent fine");
  }

  @Test
  void aSegmentAudienceIsEnrolledByTheEnrollmentMechanismAtTheStart() {
    String cohort = "cohort-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> members = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      members.add(profiles.upsert(Map.of("email", cohort + "-" + i + "@example.com"), Map.of("cohort", cohort, "firstName", "M" + i))
          .profile().id());
    }
    profiles.upsert(Map.of("email", cohort + "-other@example.com"), Map.of("cohort", "someone-else"));
    String segmentKey = cohort;
    segments.define(segmentKey, "Spring cohort", "cohort = \"" + cohort + "\"");
    NewCampaign draft = campaign("welcome", null, creativeKey, Instant.now().plusSeconds(3600));
    NewCampaign bySegment = new NewCampaign(draft.key(), draft.name(), draft.journeyKey(), segmentKey, null,
        draft.creativeKeys(), draft.startAt(), draft.endAt(), draft.author());

    Campaign c = campaigns.submit(bySegment, "user:" + author);
    ProcessInstance pi = instance(c);
    assertThat(tasks.getVariable(task(pi).getId(), "audienceSize")).isEqualTo(3L);
    decide(pi, creativeReviewer, "creative", "approve", null);
    decide(pi, complianceOfficer, "compliance", "approve", "ok");
    execute(pi, "Event_StartAtReached");
    awaitEnrolled(pi);

    assertThat(pi).isWaitingAt("Event_EndAtReached");
    assertThat(campaigns.find(c.id()).orElseThrow().enrolled()).isEqualTo(3);
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
            "SELECT COUNT(*) FROM journey_entry WHERE journey_key = 'welcome' AND profile_id IN (:ids)")
        .param("ids", members).query(Integer.class).single() == 3);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM enrollment WHERE segment_key = ? AND status = 'completed'")
        .param(segmentKey).query(Integer.class).single()).isEqualTo(1);
  }

  @Test
  void rejectionGoesBackToTheAuthorAndTheRevisedVersionPassesBothReviewsAgain() {
    Campaign c = campaigns.submit(campaign("welcome", profileId, creativeKey, Instant.now().plusSeconds(3600)), "user:" + author);
    ProcessInstance pi = instance(c);
    decide(pi, creativeReviewer, "creative", "approve", null);
    decide(pi, complianceOfficer, "compliance", "reject", "Subject needs the legal entity name");

    assertThat(pi).isWaitingAt("Task_Revise");
    Task revise = task(pi);
    assertThat(revise).isAssignedTo(author);
    assertThat(tasks.getVariable(revise.getId(), "rejectionComment")).isEqualTo("Subject needs the legal entity name");
    assertThat(campaigns.find(c.id()).orElseThrow().status()).isEqualTo(Campaign.NEEDS_REVISION);

    signIn(author);
    tasks.complete(revise.getId(), Map.of("revisionDecision", "resubmit", "revisedSubject", "Spring sale by Overture Ltd"));
    identity.clearAuthentication();

    assertThat(pi).isWaitingAt("Task_CreativeReview");
    assertThat(tasks.getVariable(task(pi).getId(), "creativeVersions").toString()).contains(creativeKey + " v2");
    assertThat(tasks.getVariable(task(pi).getId(), "creativeDecision")).as("last round's decision is cleared").isNull();
    decide(pi, creativeReviewer, "creative", "approve", null);
    decide(pi, complianceOfficer, "compliance", "approve", null);

    assertThat(pi).isWaitingAt("Event_StartAtReached");
    assertThat(approved(creativeKey, 2)).isTrue();
    assertThat(approved(creativeKey, 1)).as("the rejected version never goes out").isFalse();
    assertThat(campaigns.find(c.id()).orElseThrow().audit())
        .filteredOn(a -> a.decision().equals("reject"))
        .singleElement()
        .satisfies(a -> {
          assertThat(a.actor()).isEqualTo(complianceOfficer);
          assertThat(a.creativeVersions()).isEqualTo(creativeKey + " v1 (email)");
          assertThat(a.comment()).isEqualTo("Subject needs the legal entity name");
          assertThat(a.at()).isNotNull();
        });
  }

  @Test
  void authorCannotReviewTheirOwnCampaign() {
    identity.createMembership(author, "creative-reviewers");
    ProcessInstance pi = instance(campaigns.submit(
        campaign("welcome", profileId, creativeKey, Instant.now().plusSeconds(3600)), "user:" + author));

    assertThatThrownBy(() -> decide(pi, author, "creative", "approve", null))
        .hasRootCauseInstanceOf(FourEyesViolation.class)
        .hasMessageContaining("Four-eyes rule").hasMessageContaining("author");
    assertThat(pi).isWaitingAt("Task_CreativeReview");
  }

  @Test
  void theCreativeReviewerCannotAlsoDoTheComplianceReview() {
    ProcessInstance pi = instance(campaigns.submit(
        campaign("welcome", profileId, creativeKey, Instant.now().plusSeconds(3600)), "user:" + author));
    decide(pi, creativeReviewer, "creative", "approve", null);

    assertThatThrownBy(() -> decide(pi, creativeReviewer, "compliance", "approve", null))
        .hasRootCauseInstanceOf(FourEyesViolation.class)
        .hasMessageContaining("already approved the creative");
    assertThat(pi).isWaitingAt("Task_ComplianceReview");
  }

  @Test
  void aRejectionWithoutCommentIsRefused() {
    ProcessInstance pi = instance(campaigns.submit(
        campaign("welcome", profileId, creativeKey, Instant.now().plusSeconds(3600)), "user:" + author));

    assertThatThrownBy(() -> decide(pi, creativeReviewer, "creative", "reject", " "))
        .hasRootCauseInstanceOf(FourEyesViolation.class).hasMessageContaining("needs a comment");
    assertThat(pi).isWaitingAt("Task_CreativeReview");
  }

  @Test
  void anOverdueReviewRemindsTheGroupAfterADayAndEscalatesToTheLeadAfterThree() {
    String lead = user(identity, "lead", "creative-reviewers-lead");
    ProcessInstance pi = instance(campaigns.submit(
        campaign("welcome", profileId, creativeKey, Instant.now().plusSeconds(3600)), "user:" + author));

    execute(pi, "Boundary_CreativeReviewReminder");
    assertThat(pi).isWaitingAt("Task_CreativeReview");
    assertThat(TestMail.to(creativeReviewer + "@example.com")).as("reminder email").hasSize(1);

    execute(pi, "Boundary_CreativeReviewEscalation");
    assertThat(pi).isWaitingAt("Task_CreativeReview");
    assertThat(task(pi)).isAssignedTo(lead);
    assertThat(TestMail.to(lead + "@example.com")).as("escalation email").hasSize(1);
    assertThat(campaigns.find(pi.getBusinessKey()).orElseThrow().audit())
        .extracting(AuditEntry::decision).contains("reminded", "escalated");

    decide(pi, lead, "creative", "approve", null);
    assertThat(pi).isWaitingAt("Task_ComplianceReview");
  }

  @Test
  void theReviewersReadEveryLanguageOfAVersionAndApproveThemTogether() {
    String key = CampaignFixtures.unique("locales");
    creatives.create(new Creative.Draft(key, "email", "Spring sale, {{firstName}}", null, "Hi {{firstName}}, 20% off.", null, null,
        null, Map.of(), "en", Map.of("de", new Creative.Content("Frühlingsangebot, {{firstName}}", null,
            "Hallo {{firstName}}, 20 % Rabatt.", null, null, null, null))), CampaignFixtures.COPYWRITER);
    ProcessInstance pi = submit(key);
    assertThat(tasks.getVariable(task(pi).getId(), "creativePreview").toString())
        .contains("**EMAIL · " + key + " v1 · en**", "Spring sale, Alex", "> Hi Alex, 20% off.")
        .contains("**EMAIL · " + key + " v1 · de**", "Frühlingsangebot, Alex", "> Hallo Alex, 20 % Rabatt.");
    assertThat(tasks.getVariable(task(pi).getId(), "creativeVersions")).as("one version under review").isEqualTo(key + " v1 (email)");

    decide(pi, creativeReviewer, "creative", "approve", null);
    decide(pi, complianceOfficer, "compliance", "approve", null);

    assertThat(creatives.find(key, "email", 1).orElseThrow()).satisfies(c -> {
      assertThat(c.approved()).isTrue();
      assertThat(c.locales()).containsOnlyKeys("de");
    });
  }

  @Test
  void aRevisionKeepsEveryChannelsTextAndTheSecondRoundApprovesEachChannelInTheReviewersName() {
    String key = CampaignFixtures.unique("multi");
    creatives.create(new Creative.Draft(key, "email", "Spring sale", "<p>Hi {{firstName}}</p>", "Hi {{firstName}}", null, null,
        null, Map.of("firstName", "friend")), CampaignFixtures.COPYWRITER);
    creatives.create(new Creative.Draft(key, "sms", null, null, null, "Sale! Reply STOP to opt out", null, null, Map.of()),
        CampaignFixtures.COPYWRITER);
    creatives.create(new Creative.Draft(key, "push", null, null, null, null, "Spring sale", "20% off today", Map.of()),
        CampaignFixtures.COPYWRITER);
    ProcessInstance pi = submit(key);
    assertThat(tasks.getVariable(task(pi).getId(), "creativePreview").toString()).as("the reviewer reads every channel")
        .contains("Sale! Reply STOP to opt out").contains("Title: Spring sale").contains("20% off today");
    decide(pi, creativeReviewer, "creative", "approve", null);
    decide(pi, complianceOfficer, "compliance", "reject", "Name the legal entity");

    resubmit(pi, "revisedSubject", "Spring sale by Overture Ltd");

    Creative revised = creatives.find(key, "email", 2).orElseThrow();
    assertThat(revised.subject()).isEqualTo("Spring sale by Overture Ltd");
    assertThat(revised.text()).isEqualTo("Hi {{firstName}}");
    assertThat(revised.html()).isEqualTo("<p>Hi {{firstName}}</p>");
    assertThat(revised.fallbacks()).containsEntry("firstName", "friend");
    assertThat(revised.createdBy()).as("written by the author who revised it").isEqualTo("user:" + author);
    assertThat(revised.status()).as("a status delivery knows").isEqualTo(Creative.PENDING_APPROVAL);
    assertThat(creatives.find(key)).extracting(Creative::channel, Creative::version)
        .as("the SMS and push versions stay as they were").containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("email", 2), org.assertj.core.groups.Tuple.tuple("email", 1),
            org.assertj.core.groups.Tuple.tuple("sms", 1), org.assertj.core.groups.Tuple.tuple("push", 1));
    assertThat(tasks.getVariable(task(pi).getId(), "creativeVersions"))
        .isEqualTo(key + " v2 (email), " + key + " v1 (push), " + key + " v1 (sms)");

    decide(pi, creativeReviewer, "creative", "approve", null);
    decide(pi, complianceOfficer, "compliance", "approve", null);
    assertThat(pi).isWaitingAt("Event_StartAtReached");
    for (String channel : List.of("email", "sms", "push")) {
      Creative sent = creatives.approved(key, channel).orElseThrow();
      assertThat(sent.approvedBy()).as(channel).isEqualTo("user:" + creativeReviewer);
    }
    assertThat(creatives.approved(key, "email").orElseThrow().version()).isEqualTo(2);
    assertThat(creatives.approved(key, "sms").orElseThrow().smsBody()).isEqualTo("Sale! Reply STOP to opt out");
    assertThat(creatives.approved(key, "push").orElseThrow().pushBody()).isEqualTo("20% off today");
  }

  @Test
  void aRevisedPushCreativeTakesTheNewTextAsItsBodyAndKeepsItsTitle() {
    String key = CampaignFixtures.unique("push");
    creatives.create(new Creative.Draft(key, "push", null, null, null, null, "Spring sale", "20% off", Map.of()),
        CampaignFixtures.COPYWRITER);
    ProcessInstance pi = submit(key);
    decide(pi, creativeReviewer, "creative", "reject", "Say until when");

    resubmit(pi, "revisedText", "20% off until Sunday");

    Creative revised = creatives.find(key, "push", 2).orElseThrow();
    assertThat(revised.pushTitle()).isEqualTo("Spring sale");
    assertThat(revised.pushBody()).isEqualTo("20% off until Sunday");
    assertThat(revised.createdBy()).isEqualTo("user:" + author);
  }

  @Test
  void aReviewerCannotApproveACreativeVersionTheyWroteThemselves() {
    String key = CampaignFixtures.unique("own");
    creatives.create(new Creative.Draft(key, "sms", null, null, null, "Sale today", null, null, Map.of()), "user:" + creativeReviewer);
    ProcessInstance pi = submit(key);

    assertThatThrownBy(() -> decide(pi, creativeReviewer, "creative", "approve", null))
        .hasRootCauseInstanceOf(FourEyesViolation.class)
        .hasMessageContaining("Four-eyes rule").hasMessageContaining("wrote " + key + " v1 (sms)");
    assertThat(pi).isWaitingAt("Task_CreativeReview");
    assertThat(creatives.approved(key, "sms")).isEmpty();
  }

  /** The author's campaign for the one profile with this creative, waiting for its creative review. */
  private ProcessInstance submit(String creativeKey) {
    return instance(campaigns.submit(campaign("welcome", profileId, creativeKey, Instant.now().plusSeconds(3600)), "user:" + author));
  }

  /** The author resubmits with one revised field of the revision form. */
  private void resubmit(ProcessInstance pi, String field, String value) {
    signIn(author);
    try {
      tasks.complete(task(pi).getId(), Map.of("revisionDecision", "resubmit", field, value));
    } finally {
      identity.clearAuthentication();
    }
  }

  private boolean approved(String key, int version) {
    return creatives.find(key, "email", version).orElseThrow().approved();
  }

  private ProcessInstance instance(Campaign c) {
    return engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(c.processInstanceId()).singleResult();
  }

  private Task task(ProcessInstance pi) {
    return tasks.createTaskQuery().processInstanceId(pi.getId()).singleResult();
  }

  /** Claims and completes the open review as {@code user}, signed in as Tasklist would be. */
  private void decide(ProcessInstance pi, String user, String prefix, String decision, String comment) {
    Task task = task(pi);
    signIn(user);
    try {
      tasks.setAssignee(task.getId(), user);
      Map<String, Object> vars = new java.util.HashMap<>();
      vars.put(prefix + "Decision", decision);
      vars.put(prefix + "Comment", comment);
      tasks.complete(task.getId(), vars);
    } finally {
      identity.clearAuthentication();
    }
  }

  /** Signed in with group memberships, as the webapps and the REST API sign users in. */
  private void signIn(String user) {
    identity.setAuthentication(user, identity.createGroupQuery().groupMember(user).list().stream()
        .map(org.camunda.bpm.engine.identity.Group::getId).toList());
  }

  /** The enrollment is an async step: the job executor takes it as soon as the start timer has fired. */
  private void awaitEnrolled(ProcessInstance pi) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pi).isWaitingAt("Event_EndAtReached"));
  }

  private void execute(ProcessInstance pi, String activityId) {
    Job job = management.createJobQuery().processInstanceId(pi.getId()).activityId(activityId).singleResult();
    assertThat(job).as("job at " + activityId).isNotNull();
    management.executeJob(job.getId());
  }
}
