package dev.overture.campaign;

import org.camunda.bpm.engine.ProcessEngineException;

/**
 * A review refused because the reviewer is the author or already did the other review. Thrown from
 * the task's complete listener, it rolls the completion back and Tasklist shows its message.
 */
public class FourEyesViolation extends ProcessEngineException {

  public FourEyesViolation(String message) {
    super(message);
  }
}
