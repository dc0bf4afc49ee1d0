package dev.overture.journey;

import java.time.Instant;

/**
 * One recorded version of a journey: its state ({@code draft}, {@code in_review}, {@code live}, {@code retired}), who
 * wrote it, who asked for its review and who decided, and when. {@code reviewOf} is the state a rejected review returns
 * it to; {@code reviewComment} the reviewer's last comment.
 */
public record JourneyVersion(String processDefinitionId, String journeyKey, int version, String state, String reviewOf,
    String author, Instant deployedAt, String requestedBy, Instant requestedAt, String reviewInstanceId, String reviewer,
    Instant reviewedAt, String reviewComment, Instant liveSince, Instant retiredAt) {

  public static final String DRAFT = "draft";
  public static final String IN_REVIEW = "in_review";
  public static final String LIVE = "live";
  public static final String RETIRED = "retired";
}
