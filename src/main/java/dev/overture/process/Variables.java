package dev.overture.process;

import dev.overture.journey.Journeys;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Reading the inputs that element templates set: the task's {@code camunda:property} of that name if it
 * has one, else the variable (an input parameter); a missing one is a modelling error worth an incident.
 */
final class Variables {

  private Variables() {}

  static String profileId(DelegateExecution execution) {
    Object id = execution.getVariable(Journeys.PROFILE_ID);
    return id != null ? id.toString() : execution.getProcessBusinessKey();
  }

  static String required(DelegateExecution execution, String name) {
    Object value = input(execution, name);
    if (value == null || value.toString().isBlank()) {
      throw new IllegalStateException("Task '" + execution.getCurrentActivityId() + "' needs the input '" + name + "'");
    }
    return value.toString();
  }

  static String optional(DelegateExecution execution, String name, String fallback) {
    Object value = input(execution, name);
    return value == null || value.toString().isBlank() ? fallback : value.toString();
  }

  private static Object input(DelegateExecution execution, String name) {
    String property = TaskProperties.of(execution).get(name);
    return property != null ? property : execution.getVariable(name);
  }
}
