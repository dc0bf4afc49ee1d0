package dev.overture.journey;

import dev.overture.platform.Conflict;

/** The journey is paused and takes no new entries until it is resumed. */
public class JourneyPaused extends Conflict {

  public JourneyPaused(String journeyKey) {
    super("journey-paused", "Journey paused",
        "Journey '" + journeyKey + "' is paused and takes no new entries; resume it first");
  }
}
