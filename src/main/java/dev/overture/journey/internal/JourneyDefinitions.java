package dev.overture.journey.internal;

import dev.overture.journey.ReentryRule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What Overture needs to know about a deployed journey, read once per process definition from its
 * BPMN model: the re-entry rule and how it can be started (none start event or message start events).
 */
@Component
public class JourneyDefinitions {

  private static final Logger log = LoggerFactory.getLogger(JourneyDefinitions.class);

  private final RepositoryService repository;
  private final Map<String, Definition> byId = new ConcurrentHashMap<>();

  JourneyDefinitions(RepositoryService repository) {
    this.repository = repository;
  }

  /** One deployed version of a journey. */
  public record Definition(String id, String key, ReentryRule reentry, boolean hasNoneStart, List<String> startMessages) {}

  public Optional<Definition> latest(String journeyKey) {
    return Optional.ofNullable(repository.createProcessDefinitionQuery().processDefinitionKey(journeyKey).latestVersion().singleResult())
        .map(this::of);
  }

  /** Journeys (latest versions) whose top-level message start event is named {@code messageName}. */
  public List<Definition> startedBy(String messageName) {
    return repository.createProcessDefinitionQuery().messageEventSubscriptionName(messageName).list().stream()
        .map(this::of)
        .filter(d -> d.startMessages().contains(messageName))
        .toList();
  }

  private Definition of(ProcessDefinition pd) {
    return byId.computeIfAbsent(pd.getId(), id -> read(pd));
  }

  private Definition read(ProcessDefinition pd) {
    BpmnModelInstance model = repository.getBpmnModelInstance(pd.getId());
    Process process = model.getModelElementById(pd.getKey());
    ReentryRule rule = ReentryRule.DEFAULT;
    if (process.getExtensionElements() != null) {
      for (CamundaProperties props : process.getExtensionElements().getElementsQuery().filterByType(CamundaProperties.class).list()) {
        for (CamundaProperty p : props.getCamundaProperties()) {
          if (ReentryRule.PROPERTY.equals(p.getCamundaName())) {
            try {
              rule = ReentryRule.parse(p.getCamundaValue());
            } catch (IllegalArgumentException e) {
              log.error("Journey {}: {}; using the default rule ({})", pd.getKey(), e.getMessage(), ReentryRule.DEFAULT);
            }
          }
        }
      }
    }
    boolean noneStart = false;
    List<String> messages = new java.util.ArrayList<>();
    for (StartEvent start : process.getChildElementsByType(StartEvent.class)) {
      List<MessageEventDefinition> defs = start.getEventDefinitions().stream()
          .filter(MessageEventDefinition.class::isInstance).map(MessageEventDefinition.class::cast).toList();
      if (start.getEventDefinitions().isEmpty()) {
        noneStart = true;
      }
      defs.stream().filter(d -> d.getMessage() != null).forEach(d -> messages.add(d.getMessage().getName()));
    }
    return new Definition(pd.getId(), pd.getKey(), rule, noneStart, List.copyOf(messages));
  }
}
