package dev.overture.platform;

import org.camunda.bpm.engine.ProcessEngineException;

/**
 * A review refused because the reviewer is its author or already did another review of it (a campaign, a journey
 * version). Thrown from the task's complete listener, it rolls the completion back and Tasklist shows its message.
 */
public class FourEyesViolation extends ProcessEngineException {

  public FourEyesViolation(String message) {
    super(message);
  }
}
