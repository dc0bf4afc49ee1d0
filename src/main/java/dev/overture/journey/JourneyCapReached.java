package dev.overture.journey;

import dev.overture.platform.Conflict;
import java.util.List;

/** The profile is in as many marketing journeys as the journey cap allows, and this entry outranks none of them. */
public class JourneyCapReached extends Conflict {

  /** The reason under which refusals are counted and enrollments report skipped members. */
  public static final String REASON = "journey-cap";

  public JourneyCapReached(String message, int cap, List<String> journeys) {
    super(REASON, message);
    with("cap", cap);
    with("journeys", journeys);
  }
}
