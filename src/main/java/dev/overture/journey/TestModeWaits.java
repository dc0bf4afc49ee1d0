package dev.overture.journey;

import dev.overture.profile.Profiles;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Journey waits that shrink for test profiles. A timer in a journey reads
 * {@code ${waits.of(execution, 'P3D')}}: the duration as drawn for customers, the configured
 * {@code overture.events.journeys.test-mode-wait} (default 10 s) for a test profile, so a marketer
 * can walk the whole journey before launch.
 */
@Component("waits")
public class TestModeWaits {

  private final Profiles profiles;
  private final JourneyProperties props;

  TestModeWaits(Profiles profiles, JourneyProperties props) {
    this.profiles = profiles;
    this.props = props;
  }

  /** The ISO 8601 duration this execution's profile waits instead of {@code drawn}. */
  public String of(DelegateExecution execution, String drawn) {
    Object profileId = execution.getVariable(Journeys.PROFILE_ID);
    String id = profileId != null ? profileId.toString() : execution.getProcessBusinessKey();
    return id != null && profiles.isTestProfile(id) ? props.testModeWait().toString() : drawn;
  }
}
