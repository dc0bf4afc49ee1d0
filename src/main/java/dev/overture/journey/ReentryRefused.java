package dev.overture.journey;

import dev.overture.platform.Conflict;

/** The journey's re-entry rule refuses this profile now; the message says which rule and why. */
public class ReentryRefused extends Conflict {

  public ReentryRefused(String reason) {
    super("reentry-refused", reason);
  }
}
