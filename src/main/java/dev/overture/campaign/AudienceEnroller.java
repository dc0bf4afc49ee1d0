package dev.overture.campaign;

/**
 * Puts a campaign's audience into its journey: a segment, enrolled in the background by the
 * enrollment mechanism, or one profile for a proof send.
 */
public interface AudienceEnroller {

  /** Who a campaign reaches, for the review form: a description and a member count. */
  record Audience(String description, long size) {}

  Audience describe(String segmentKey, String profileId);

  /**
   * Enters every member of the audience into the journey, idempotently per campaign and member, and
   * returns how many members are enrolled.
   */
  long enroll(String journeyKey, String segmentKey, String profileId, String enrollmentKey);
}
