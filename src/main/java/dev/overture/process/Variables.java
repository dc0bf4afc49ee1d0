package dev.overture.process;

import dev.overture.journey.Journeys;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Reading the inputs that element templates set: the task's {@code camunda:property} of that name if it
 * has one, else the variable (an input parameter); a missing one is a modelling error worth an incident.
 */
final class Variables {

  private static final Map<String, String> JOURNEY_KEYS = new ConcurrentHashMap<>();
  private static final Map<String, Integer> JOURNEY_VERSIONS = new ConcurrentHashMap<>();

  private Variables() {}

  static String profileId(DelegateExecution execution) {
    Object id = execution.getVariable(Journeys.PROFILE_ID);
    return id != null ? id.toString() : execution.getProcessBusinessKey();
  }

  /** Whether the instance is a dry run's shadow: it walks the journey and sends nothing. */
  static boolean dryRun(DelegateExecution execution) {
    return Boolean.TRUE.equals(execution.getVariable(Journeys.DRY_RUN));
  }

  /**
   * The journey's key, from the engine's process definition, remembered per definition id (a definition
   * never changes its key; the lookup may cost a query). Parsing it out of the id would not do: the id is
   * {@code key:version:uuid} only while that fits 64 characters, else a bare UUID.
   */
  static String journeyKey(DelegateExecution execution) {
    return JOURNEY_KEYS.computeIfAbsent(execution.getProcessDefinitionId(),
        id -> execution.getProcessEngineServices().getRepositoryService().getProcessDefinition(id).getKey());
  }

  /** The version of the journey's definition, remembered per definition id like {@link #journeyKey}. */
  static int journeyVersion(DelegateExecution execution) {
    return JOURNEY_VERSIONS.computeIfAbsent(execution.getProcessDefinitionId(),
        id -> execution.getProcessEngineServices().getRepositoryService().getProcessDefinition(id).getVersion());
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
