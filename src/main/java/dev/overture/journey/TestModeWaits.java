package dev.overture.journey;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Timers written {@code ${waits.of(execution, 'P3D')}}, as journeys were drawn when only this expression
 * shortened a test profile's wait: it returns the drawn duration. Every timer of a test profile's journey is
 * shortened now, whatever its expression (journey/internal/TestModeTimers), so a plain {@code P3D} does the same.
 */
@Component("waits")
public class TestModeWaits {

  /** The ISO 8601 duration as drawn. */
  public String of(DelegateExecution execution, String drawn) {
    return drawn;
  }
}
