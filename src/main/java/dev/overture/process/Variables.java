package dev.overture.process;

import dev.overture.journey.Journeys;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/** Reading the inputs that element templates set; a missing one is a modelling error worth an incident. */
final class Variables {

  private Variables() {}

  static String profileId(DelegateExecution execution) {
    Object id = execution.getVariable(Journeys.PROFILE_ID);
    return id != null ? id.toString() : execution.getProcessBusinessKey();
  }

  static String required(DelegateExecution execution, String name) {
    Object value = execution.getVariable(name);
    if (value == null || value.toString().isBlank()) {
      throw new IllegalStateException("Task '" + execution.getCurrentActivityId() + "' needs the input '" + name + "'");
    }
    return value.toString();
  }

  static String optional(DelegateExecution execution, String name, String fallback) {
    Object value = execution.getVariable(name);
    return value == null || value.toString().isBlank() ? fallback : value.toString();
  }
}
