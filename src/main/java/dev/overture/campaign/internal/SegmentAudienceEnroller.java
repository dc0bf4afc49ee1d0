package dev.overture.campaign.internal;

import dev.overture.campaign.AudienceEnroller;
import dev.overture.enrollment.Enrollment;
import dev.overture.enrollment.Enrollments;
import dev.overture.journey.Journeys;
import dev.overture.platform.Unprocessable;
import dev.overture.profile.Profiles;
import dev.overture.profile.UnknownProfile;
import dev.overture.segment.Segment;
import dev.overture.segment.Segments;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A campaign's audience is a segment, enrolled by the same chunked, exactly-once mechanism as
 * {@code POST /api/journeys/{key}/enrollments}. A single {@code profileId} instead of a segment is a
 * proof audience: the campaign goes to that one profile (e.g. the marketer's own test profile).
 */
@Component
class SegmentAudienceEnroller implements AudienceEnroller {

  private final Segments segments;
  private final Enrollments enrollments;
  private final Journeys journeys;
  private final Profiles profiles;

  SegmentAudienceEnroller(Segments segments, Enrollments enrollments, Journeys journeys, Profiles profiles) {
    this.segments = segments;
    this.enrollments = enrollments;
    this.journeys = journeys;
    this.profiles = profiles;
  }

  @Override
  public Audience describe(String segmentKey, String profileId) {
    if (segmentKey != null) {
      Segment s = segments.current(segmentKey)
          .orElseThrow(() -> new Unprocessable("unknown-segment", "No segment with key '" + segmentKey + "'"));
      long members = segments.count(segmentKey).members();
      return new Audience("segment " + s.name() + " (" + s.key() + " v" + s.version() + "): " + s.expression(), members);
    }
    if (profileId == null) {
      throw new Unprocessable("missing-audience", "Name the audience with segmentKey (or profileId for a proof send)");
    }
    if (!profiles.exists(profileId)) {
      throw new UnknownProfile(profileId);
    }
    return new Audience("proof audience: profile " + profileId, 1);
  }

  /**
   * Starts the segment's enrollment in the caller's transaction (the enrollment job's), so a retried
   * job that rolled back starts it again and a committed one never twice. Returns the audience size
   * the enrollment expects; its progress is at {@code GET /api/enrollments/{id}}.
   */
  @Override
  public long enroll(String journeyKey, String segmentKey, String profileId, String enrollmentKey) {
    if (segmentKey != null) {
      Enrollment e = enrollments.start(journeyKey, segmentKey, Map.of("campaignEnrollment", enrollmentKey), null,
          "campaign:" + enrollmentKey);
      return e.total();
    }
    describe(null, profileId);
    journeys.enter(journeyKey, profileId, Map.of(), enrollmentKey + ":" + profileId);
    return 1;
  }
}
