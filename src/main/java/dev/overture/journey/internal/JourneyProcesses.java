package dev.overture.journey.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.CatchEvent;
import org.camunda.bpm.model.bpmn.instance.EventBasedGateway;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.IntermediateCatchEvent;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.ReceiveTask;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;

/**
 * What the journey history level and the journey log need to know about a process definition, read
 * inside an engine command from the engine's deployment cache and kept per definition id: whether it
 * is a customer journey (no user task anywhere) or an approval process for staff, which keeps
 * Camunda's full history; its goal event type; and the catch events that end a wait because a
 * message arrived, with the message's name.
 */
final class JourneyProcesses {

  /**
   * A deployed process definition as the log sees it. {@code messages}: element id → message name;
   * {@code gatewayTargets}: event-based gateway id → the events it waits for.
   */
  record Info(String id, String key, int version, boolean journey, String goal, Map<String, String> messages,
      Map<String, Set<String>> gatewayTargets) {}

  private static final Map<String, Info> BY_ID = new ConcurrentHashMap<>();

  private JourneyProcesses() {}

  /** The definition, or null outside a command or for an id the engine does not know. */
  static Info of(String processDefinitionId) {
    if (processDefinitionId == null) {
      return null;
    }
    Info known = BY_ID.get(processDefinitionId);
    if (known != null || Context.getProcessEngineConfiguration() == null) {
      return known;
    }
    ProcessDefinitionEntity definition = Context.getProcessEngineConfiguration().getDeploymentCache()
        .findDeployedProcessDefinitionById(processDefinitionId);
    if (definition == null) {
      return null;
    }
    Info read = read(definition);
    BY_ID.put(processDefinitionId, read);
    return read;
  }

  /** Makes a definition known without the engine, as a unit test of the journey log needs it. */
  static void know(Info info) {
    BY_ID.put(info.id(), info);
  }

  /** Whether the definition is a customer journey; false (full history) when it cannot be told. */
  static boolean isJourney(String processDefinitionId) {
    Info p = of(processDefinitionId);
    return p != null && p.journey();
  }

  private static Info read(ProcessDefinitionEntity definition) {
    boolean approval = hasUserTask(definition);
    BpmnModelInstance model = Context.getProcessEngineConfiguration().getDeploymentCache()
        .findBpmnModelInstanceForProcessDefinition(definition);
    String goal = null;
    Map<String, String> messages = new HashMap<>();
    Map<String, Set<String>> gatewayTargets = new HashMap<>();
    if (model != null) {
      org.camunda.bpm.model.bpmn.instance.Process process = model.getModelElementById(definition.getKey());
      if (process != null && process.getExtensionElements() != null) {
        for (CamundaProperties props : process.getExtensionElements().getElementsQuery().filterByType(CamundaProperties.class).list()) {
          for (CamundaProperty p : props.getCamundaProperties()) {
            if (JourneyDefinitions.GOAL_PROPERTY.equals(p.getCamundaName()) && p.getCamundaValue() != null
                && !p.getCamundaValue().isBlank()) {
              goal = p.getCamundaValue().trim();
            }
          }
        }
      }
      for (CatchEvent event : model.getModelElementsByType(CatchEvent.class)) {
        if (endsWaitOnMessage(event)) {
          event.getEventDefinitions().stream().filter(MessageEventDefinition.class::isInstance)
              .map(MessageEventDefinition.class::cast)
              .filter(d -> d.getMessage() != null && d.getMessage().getName() != null)
              .findFirst()
              .ifPresent(d -> messages.put(event.getId(), d.getMessage().getName()));
        }
      }
      for (EventBasedGateway gateway : model.getModelElementsByType(EventBasedGateway.class)) {
        gatewayTargets.put(gateway.getId(), gateway.getSucceedingNodes().list().stream().map(FlowNode::getId)
            .collect(Collectors.toUnmodifiableSet()));
      }
      for (ReceiveTask task : model.getModelElementsByType(ReceiveTask.class)) {
        if (task.getMessage() != null && task.getMessage().getName() != null) {
          messages.put(task.getId(), task.getMessage().getName());
        }
      }
    }
    return new Info(definition.getId(), definition.getKey(), definition.getVersion(), !approval, goal, Map.copyOf(messages),
        Map.copyOf(gatewayTargets));
  }

  /**
   * A message catch that takes the instance somewhere it would not otherwise go: an intermediate catch,
   * an interrupting boundary event, or the interrupting start of an event subprocess. A journey's own
   * message start event only starts it; a non-interrupting one runs beside the journey.
   */
  private static boolean endsWaitOnMessage(CatchEvent event) {
    if (event instanceof IntermediateCatchEvent) {
      return true;
    }
    if (event instanceof BoundaryEvent boundary) {
      return boundary.cancelActivity();
    }
    if (event instanceof StartEvent start) {
      return start.getParentElement() instanceof SubProcess sub && sub.triggeredByEvent() && start.isInterrupting();
    }
    return false;
  }

  private static boolean hasUserTask(ScopeImpl scope) {
    for (ActivityImpl activity : scope.getActivities()) {
      if (activity.getActivityBehavior() instanceof UserTaskActivityBehavior || hasUserTask(activity)) {
        return true;
      }
    }
    return false;
  }
}
