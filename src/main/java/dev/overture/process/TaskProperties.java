package dev.overture.process;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;

/**
 * The {@code camunda:property} extension properties of the task an execution is at, read once per
 * process definition and activity from the BPMN model. Templates that bind their fields this way (the
 * Send templates from 2026-12) give the delegate its inputs without creating process variables: input
 * parameters would be created, historised and deleted again at every message.
 */
final class TaskProperties {

  private static final Map<String, Map<String, String>> BY_ACTIVITY = new ConcurrentHashMap<>();

  private TaskProperties() {}

  static Map<String, String> of(DelegateExecution execution) {
    return of(execution.getProcessDefinitionId(), execution.getCurrentActivityId(), execution::getBpmnModelElementInstance);
  }

  /** The properties of an activity that no execution stands at here (an external task's), its element read only once. */
  static Map<String, String> of(String processDefinitionId, String activityId, Supplier<FlowElement> element) {
    return BY_ACTIVITY.computeIfAbsent(processDefinitionId + '\n' + activityId, key -> read(element.get()));
  }

  private static Map<String, String> read(FlowElement element) {
    Map<String, String> out = new HashMap<>();
    if (element != null && element.getExtensionElements() != null) {
      element.getExtensionElements().getElementsQuery().filterByType(CamundaProperties.class).list()
          .forEach(properties -> properties.getCamundaProperties().forEach(p -> {
            if (p.getCamundaName() != null && p.getCamundaValue() != null) {
              out.putIfAbsent(p.getCamundaName(), p.getCamundaValue());
            }
          }));
    }
    return Map.copyOf(out);
  }
}
