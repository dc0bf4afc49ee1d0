package dev.overture.campaign;

import dev.overture.platform.FourEyesViolation;
import dev.overture.campaign.internal.CampaignStore;
import dev.overture.delivery.Creative;
import dev.overture.journey.Journeys;
import dev.overture.platform.Conflict;
import dev.overture.platform.DeclaredConstraints;
import dev.overture.platform.Unprocessable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Campaigns: submission starts {@code campaign-launch.bpmn}; the process calls back here for the
 * review packet, the four-eyes rule, the audit trail, approval of the creative versions and the
 * audience enrollment.
 */
@Service
public class Campaigns {

  public static final String PROCESS_KEY = "campaign-launch";
  public static final String CAMPAIGN_ID = "campaignId";
  public static final String AUTHOR = "author";
  /** "key:channel:version,…": the creative versions under review in this round. */
  public static final String VERSIONS_UNDER_REVIEW = "creativeVersionsUnderReview";

  static final String SYSTEM = "system";

  private final CampaignStore store;
  private final CampaignCreatives creatives;
  private final AudienceEnroller audiences;
  private final Journeys journeys;
  private final RuntimeService runtime;
  private final TaskService tasks;
  private final IdentityService identity;
  private final TransactionTemplate tx;
  private final ReviewPacket packets;
  private final DeclaredConstraints declared;

  Campaigns(CampaignStore store, CampaignCreatives creatives, AudienceEnroller audiences, Journeys journeys,
      RuntimeService runtime, TaskService tasks, IdentityService identity, TransactionTemplate tx, ReviewPacket packets,
      DeclaredConstraints declared) {
    this.declared = declared;
    this.store = store;
    this.creatives = creatives;
    this.audiences = audiences;
    this.journeys = journeys;
    this.runtime = runtime;
    this.tasks = tasks;
    this.identity = identity;
    this.tx = tx;
    this.packets = packets;
  }

  /**
   * Validates the campaign and starts its launch process, in one transaction. {@code caller} is the
   * authenticated principal ("user:id" or "api-key:name"); a person is the author, an API key must
   * name the author.
   */
  public Campaign submit(NewCampaign c, String caller) {
    String author = authorOf(c, caller);
    validate(c);
    String id = UUID.randomUUID().toString();
    try {
      tx.executeWithoutResult(s -> {
        store.insert(id, c, author, Campaign.IN_CREATIVE_REVIEW, Instant.now());
        store.audit(id, "submission", author, "submitted", null, null);
        Map<String, Object> vars = new HashMap<>();
        vars.put(CAMPAIGN_ID, id);
        vars.put("campaignKey", c.key());
        vars.put("campaignName", c.name());
        vars.put(AUTHOR, author);
        vars.put("journeyKey", c.journeyKey());
        vars.put("segmentKey", c.segmentKey());
        vars.put("audienceProfileId", c.profileId());
        vars.put("startAt", Date.from(c.startAt()));
        vars.put("endAt", Date.from(c.endAt()));
        String pi = runtime.startProcessInstanceByKey(PROCESS_KEY, id, vars).getId();
        store.attachProcess(id, pi);
      });
    } catch (DuplicateKeyException e) {
      throw new Conflict("campaign-key-taken", "A campaign with key '" + c.key() + "' already exists");
    }
    return find(id).orElseThrow();
  }

  /** The campaign by id or key, with its open task and audit trail. */
  public Optional<Campaign> find(String idOrKey) {
    return store.find(idOrKey).map(c -> new Campaign(c.id(), c.key(), c.name(), c.journeyKey(), c.segmentKey(),
        c.profileId(), c.creativeKeys(), c.startAt(), c.endAt(), c.author(), c.status(), c.processInstanceId(),
        c.enrolled(), c.createdAt(), currentTask(c.processInstanceId()), c.audit()));
  }

  private Campaign.CurrentTask currentTask(String processInstanceId) {
    if (processInstanceId == null) {
      return null;
    }
    Task task = tasks.createTaskQuery().processInstanceId(processInstanceId).orderByTaskCreateTime().desc()
        .listPage(0, 1).stream().findFirst().orElse(null);
    if (task == null) {
      return null;
    }
    List<String> groups = tasks.getIdentityLinksForTask(task.getId()).stream()
        .filter(l -> IdentityLinkType.CANDIDATE.equals(l.getType()) && l.getGroupId() != null)
        .map(l -> l.getGroupId()).toList();
    return new Campaign.CurrentTask(task.getId(), task.getTaskDefinitionKey(), task.getName(), task.getAssignee(), groups,
        task.getCreateTime().toInstant());
  }

  /** Variables for the review forms: the newest creative versions rendered, the audience, the governance settings. */
  public Map<String, Object> prepareReview(String campaignId) {
    Campaign c = store.find(campaignId).orElseThrow(() -> new IllegalStateException("No campaign " + campaignId));
    List<Creative.Rendered> previews = creatives.underReview(c.creativeKeys()).stream()
        .flatMap(creative -> creatives.previews(creative, packets.sampleAttributes()).stream()).toList();
    AudienceEnroller.Audience audience = audiences.describe(c.segmentKey(), c.profileId());
    return packets.variables(c, previews, audience);
  }

  /** A review task was created or handed back: the status says who is on. */
  public void taskOpened(String campaignId, String step) {
    store.status(campaignId, switch (step) {
      case ReviewRules.CREATIVE_REVIEW -> Campaign.IN_CREATIVE_REVIEW;
      case ReviewRules.COMPLIANCE_REVIEW -> Campaign.IN_COMPLIANCE_REVIEW;
      default -> Campaign.NEEDS_REVISION;
    });
  }

  /**
   * Records a decision after checking the four-eyes rule and the mandatory rejection comment; a
   * refusal throws {@link FourEyesViolation}, which rolls the completion back.
   */
  public void decide(String campaignId, String step, String actor, String decision, String comment,
      String creativeReviewer, String versionsUnderReview) {
    String author = store.find(campaignId).orElseThrow().author();
    ReviewRules.check(step, actor, author, creativeReviewer, decision, comment);
    if (ReviewRules.CREATIVE_REVIEW.equals(step) && ReviewRules.APPROVE.equals(decision)) {
      creatives.requireNotWrittenBy(actor, ReviewRules.versions(versionsUnderReview));
    }
    store.audit(campaignId, step, actor, decision, ReviewRules.labels(versionsUnderReview), blankToNull(comment));
    if (ReviewRules.WITHDRAW.equals(decision)) {
      store.status(campaignId, Campaign.WITHDRAWN);
    }
  }

  /**
   * The author's edit at revision (only the author may complete it): the first creative gets a new
   * version pending approval, written by the author (approved versions never change). Returns its label.
   */
  public Optional<String> revise(String campaignId, String subject, String bodyText) {
    if (blankToNull(subject) == null && blankToNull(bodyText) == null) {
      return Optional.empty();
    }
    Campaign c = store.find(campaignId).orElseThrow();
    return creatives.revise(c.creativeKeys().get(0), subject, bodyText, c.author())
        .map(v -> new ReviewRules.Reviewed(v.key(), v.channel(), v.version()).label());
  }

  /**
   * Both reviews passed: exactly the reviewed versions become dispatchable, approved in the name of
   * this round's creative reviewer.
   */
  public void approveCreatives(String campaignId, String versionsUnderReview) {
    String reviewer = store.audit(campaignId).stream()
        .filter(a -> ReviewRules.CREATIVE_REVIEW.equals(a.step()) && ReviewRules.APPROVE.equals(a.decision()))
        .reduce((earlier, later) -> later).map(Campaign.AuditEntry::actor)
        .orElseThrow(() -> new IllegalStateException("Campaign " + campaignId + " has no creative review approval"));
    creatives.approve(ReviewRules.versions(versionsUnderReview), reviewer);
    store.audit(campaignId, "approval", SYSTEM, "creatives-approved", ReviewRules.labels(versionsUnderReview), null);
    store.status(campaignId, Campaign.SCHEDULED);
  }

  /** Enrolls the audience; with a campaign id, the campaign records the count and runs. */
  public long enroll(String campaignId, String journeyKey, String segmentKey, String profileId, String enrollmentKey) {
    if (!journeys.exists(journeyKey)) {
      throw new IllegalStateException("Journey '" + journeyKey + "' is not deployed");
    }
    long count = audiences.enroll(journeyKey, segmentKey, profileId, enrollmentKey);
    if (campaignId != null) {
      store.enrolled(campaignId, count);
      store.status(campaignId, Campaign.RUNNING);
      store.audit(campaignId, "enrollment", SYSTEM, "enrolled", null, count + " in the audience, entering " + journeyKey);
    }
    return count;
  }

  public void close(String campaignId) {
    store.status(campaignId, Campaign.CLOSED);
    store.audit(campaignId, "closing", SYSTEM, "closed", null, null);
  }

  /** An overdue review: remind the group (non-interrupting, the task stays open). */
  public void remind(String campaignId, String group, String taskKey) {
    List<String> notified = packets.remind(store.find(campaignId).orElseThrow(), group);
    store.audit(campaignId, taskKey, SYSTEM, "reminded", null,
        "Reminder sent to " + group + (notified.isEmpty() ? "" : " (" + String.join(", ", notified) + ")"));
  }

  /**
   * A review three days overdue: the group's leads (Camunda group {@code <group>-lead}) become
   * candidates and the first of them gets the task assigned.
   */
  public void escalate(String campaignId, String processInstanceId, String group, String taskKey) {
    Optional<String> lead = packets.leadOf(group);
    Task task = tasks.createTaskQuery().processInstanceId(processInstanceId).taskDefinitionKey(taskKey).singleResult();
    if (task != null) {
      tasks.addCandidateGroup(task.getId(), ReviewPacket.leadGroup(group));
      lead.ifPresent(l -> {
        tasks.setAssignee(task.getId(), l);
        packets.notifyLead(l, store.find(campaignId).orElseThrow(), task.getName());
      });
    }
    store.audit(campaignId, ReviewRules.stepOf(taskKey), SYSTEM, "escalated", null, lead
        .map(l -> "Escalated to " + l + ", lead of " + group)
        .orElse("Escalated to group " + ReviewPacket.leadGroup(group) + ", which has no members"));
  }

  private String authorOf(NewCampaign c, String caller) {
    if (caller.startsWith("user:")) {
      String user = caller.substring(5);
      if (c.author() != null && !c.author().equals(user)) {
        throw new Unprocessable("author-mismatch", "You are signed in as '" + user + "': you can only submit as yourself");
      }
      return user;
    }
    if (c.author() == null || c.author().isBlank()) {
      throw new Unprocessable("author-required",
          "Submitting with an API key needs 'author': the Camunda user who owns the campaign and revises it");
    }
    if (identity.createUserQuery().userId(c.author()).count() == 0) {
      throw new Unprocessable("unknown-author", "No Camunda user '" + c.author() + "'");
    }
    return c.author();
  }

  private void validate(NewCampaign c) {
    List<String> problems = new ArrayList<>(declared.broken(c));
    if (c.journeyKey() != null && !c.journeyKey().isBlank() && !journeys.exists(c.journeyKey())) {
      problems.add("journeyKey must name a deployed journey");
    }
    if (c.creativeKeys() != null) {
      c.creativeKeys().stream().filter(k -> k == null || !creatives.exists(k))
          .forEach(k -> problems.add("creative '" + k + "' does not exist"));
    }
    if (c.startAt() != null && c.endAt() != null && !c.endAt().isAfter(c.startAt())) {
      problems.add("endAt must be after startAt");
    }
    if (!problems.isEmpty()) {
      throw new Unprocessable("invalid-campaign", String.join("; ", problems));
    }
    if (store.keyTaken(c.key())) {
      throw new Conflict("campaign-key-taken", "A campaign with key '" + c.key() + "' already exists");
    }
    audiences.describe(c.segmentKey(), c.profileId());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
