package dev.overture.campaign.internal;

import dev.overture.campaign.AudienceEnroller;
import dev.overture.journey.Journeys;
import dev.overture.platform.ApiProblem;
import dev.overture.profile.Profiles;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The stand-in audience until segment enrollment exists on this branch: the one profile named in the
 * campaign. A segment key alone is refused at submission, not silently enrolled as nobody.
 */
@Component
class SingleProfileEnroller implements AudienceEnroller {

  private final Journeys journeys;
  private final Profiles profiles;

  SingleProfileEnroller(Journeys journeys, Profiles profiles) {
    this.journeys = journeys;
    this.profiles = profiles;
  }

  @Override
  public Audience describe(String segmentKey, String profileId) {
    if (profileId == null) {
      throw ApiProblem.unprocessable("segment-enrollment-unavailable",
          "Segment enrollment is not available yet; name a single profile in 'profileId'");
    }
    if (!profiles.exists(profileId)) {
      throw ApiProblem.unprocessable("unknown-profile", "No profile with id '" + profileId + "'");
    }
    String label = segmentKey == null ? "profile " + profileId : "segment " + segmentKey + " (for now: profile " + profileId + ")";
    return new Audience(label, 1);
  }

  @Override
  public long enroll(String journeyKey, String segmentKey, String profileId, String enrollmentKey) {
    describe(segmentKey, profileId);
    // the idempotency key makes a retried enrollment job enter the profile once
    journeys.enter(journeyKey, profileId, Map.of(), enrollmentKey + ":" + profileId);
    return 1;
  }
}
