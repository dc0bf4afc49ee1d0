package dev.overture.journey;

import dev.overture.platform.Conflict;

/** The journey is deployed, but none of its versions is live yet: its first version waits for its review. */
public class JourneyNotLive extends Conflict {

  public JourneyNotLive(String journeyKey) {
    super("journey-not-live", "Journey not live",
        "Journey '" + journeyKey + "' has no live version yet: a draft takes entries only once its review approved it");
  }
}
