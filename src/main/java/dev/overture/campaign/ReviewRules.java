package dev.overture.campaign;

import dev.overture.platform.FourEyesViolation;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The four-eyes rule and the decisions each task of campaign-launch.bpmn accepts. Messages are
 * written for the person in Tasklist, who sees them when a completion is refused.
 */
public final class ReviewRules {

  public static final String CREATIVE_REVIEW = "creative-review";
  public static final String COMPLIANCE_REVIEW = "compliance-review";
  public static final String REVISION = "revision";

  public static final String APPROVE = "approve";
  public static final String REJECT = "reject";
  public static final String RESUBMIT = "resubmit";
  public static final String WITHDRAW = "withdraw";

  private ReviewRules() {}

  /** The step of a user task in campaign-launch.bpmn. */
  public static String stepOf(String taskDefinitionKey) {
    return switch (taskDefinitionKey) {
      case "Task_CreativeReview" -> CREATIVE_REVIEW;
      case "Task_ComplianceReview" -> COMPLIANCE_REVIEW;
      case "Task_Revise" -> REVISION;
      default -> throw new IllegalArgumentException("Not a campaign approval task: " + taskDefinitionKey);
    };
  }

  static void check(String step, String actor, String author, String creativeReviewer, String decision, String comment) {
    if (actor == null) {
      throw new FourEyesViolation("Claim the task before completing it: every decision is recorded with its reviewer.");
    }
    if (REVISION.equals(step)) {
      if (!actor.equals(author)) {
        throw new FourEyesViolation("Only the campaign's author (" + author + ") can revise and resubmit it.");
      }
      if (!RESUBMIT.equals(decision) && !WITHDRAW.equals(decision)) {
        throw new FourEyesViolation("Choose whether to resubmit or withdraw the campaign.");
      }
      return;
    }
    if (actor.equals(author)) {
      throw new FourEyesViolation("Four-eyes rule: you (" + actor + ") are the author of this campaign "
          + "and cannot review it. Unclaim the task so that another reviewer can decide.");
    }
    if (COMPLIANCE_REVIEW.equals(step) && actor.equals(creativeReviewer)) {
      throw new FourEyesViolation("Four-eyes rule: you (" + actor + ") already approved the creative of this campaign; "
          + "the compliance review must be done by someone else.");
    }
    if (!APPROVE.equals(decision) && !REJECT.equals(decision)) {
      throw new FourEyesViolation("Choose a decision: approve or reject.");
    }
    if (REJECT.equals(decision) && (comment == null || comment.isBlank())) {
      throw new FourEyesViolation("A rejection needs a comment: tell the author what to change.");
    }
  }

  /** One creative version under review: a key's version on one channel. */
  record Reviewed(String key, String channel, int version) {

    /** "spring-sale:email:3", as the process variable {@link Campaigns#VERSIONS_UNDER_REVIEW} holds it. */
    String token() {
      return key + ":" + channel + ":" + version;
    }

    /** "spring-sale v3 (email)", as the audit trail and the review forms show it. */
    String label() {
      return key + " v" + version + " (" + channel + ")";
    }
  }

  /** "a:email:3,b:sms:1" as its versions. */
  static List<Reviewed> versions(String underReview) {
    if (underReview == null || underReview.isBlank()) {
      return List.of();
    }
    return Arrays.stream(underReview.split(",")).map(token -> {
      String[] parts = token.split(":");
      return new Reviewed(parts[0], parts[1], Integer.parseInt(parts[2]));
    }).toList();
  }

  /** "a:email:3,b:sms:1" as "a v3 (email), b v1 (sms)". */
  static String labels(String underReview) {
    String out = versions(underReview).stream().map(Reviewed::label).collect(Collectors.joining(", "));
    return out.isEmpty() ? null : out;
  }
}
