package dev.overture.journey.internal;

import dev.overture.delivery.ApiCalls;
import dev.overture.delivery.ChannelProviders;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.management.ProcessDefinitionStatistics;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputOutput;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputParameter;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Refuses the start while a deployed journey sends on a channel without a provider here, or calls an API endpoint that
 * is not configured here: the latest version
 * of every process and every version with running instances (the bundled journeys included, which the engine
 * does not parse again when they are unchanged). Deployment refuses new ones ({@link JourneyValidationPlugin});
 * this covers what was deployed before the configuration changed, or on a node configured otherwise.
 */
@Component
class DeployedJourneyChannels implements SmartInitializingSingleton {

  private final RepositoryService repository;
  private final ManagementService management;
  private final ChannelProviders providers;
  private final ApiCalls apiCalls;

  DeployedJourneyChannels(RepositoryService repository, ManagementService management, ChannelProviders providers,
      ApiCalls apiCalls) {
    this.repository = repository;
    this.management = management;
    this.providers = providers;
    this.apiCalls = apiCalls;
  }

  /** A Call an API step's problem with its endpoint, method and path ({@link ApiCalls#refused}). */
  interface ApiCallCheck {
    Optional<String> refused(String endpoint, String method, String path);
  }

  /** One deployed version and its model. */
  record Deployed(String key, int version, BpmnModelInstance model) {}

  /** Once the engine is built and has deployed the bundled journeys, before the web server, dispatcher and jobs start. */
  @Override
  public void afterSingletonsInstantiated() {
    List<ProcessDefinitionStatistics> all = management.createProcessDefinitionStatisticsQuery().list();
    Map<String, Integer> latest = all.stream()
        .collect(Collectors.toMap(ProcessDefinitionStatistics::getKey, ProcessDefinitionStatistics::getVersion, Math::max));
    List<Deployed> sending = all.stream()
        .filter(d -> d.getInstances() > 0 || d.getVersion() == latest.get(d.getKey()))
        .sorted(Comparator.comparing(ProcessDefinitionStatistics::getKey).thenComparing(ProcessDefinitionStatistics::getVersion))
        .map(d -> new Deployed(d.getKey(), d.getVersion(), repository.getBpmnModelInstance(d.getId())))
        .toList();
    verify(sending, providers::missing, apiCalls::refused);
  }

  /** {@link #verify(List, Function, ApiCallCheck)} for journeys without Call an API steps. */
  static void verify(List<Deployed> deployed, Function<String, Optional<String>> missingProvider) {
    verify(deployed, missingProvider, (endpoint, method, path) -> Optional.empty());
  }

  /**
   * Throws, naming every journey, element and property to set, when a Send task's channel has no provider or a Call an
   * API step's endpoint is not in the allow-list.
   */
  static void verify(List<Deployed> deployed, Function<String, Optional<String>> missingProvider, ApiCallCheck apiCalls) {
    List<String> problems = new ArrayList<>();
    for (Deployed d : deployed) {
      for (ServiceTask task : d.model().getModelElementsByType(ServiceTask.class)) {
        Optional<String> problem = Optional.empty();
        if (JourneyRules.SEND_MESSAGE.equals(task.getCamundaDelegateExpression())) {
          problem = JourneyRules.sendChannels(input(task, "channel"), input(task, "fallbackChannels"), missingProvider);
        } else if (ApiCalls.TOPIC.equals(task.getCamundaTopic())) {
          problem = apiCalls.refused(input(task, "endpoint"), input(task, "method"), input(task, "path"));
        }
        problem.ifPresent(p -> problems.add("journey '" + d.key() + "' version " + d.version() + ", element '" + task.getId() + "': " + p));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("Deployed journeys use channels without a provider or APIs outside the allow-list, so"
          + " Overture does not start: " + String.join("; ", problems) + ". Configure them, or deploy versions without those"
          + " steps and let the running instances end");
    }
  }

  /** A task's input as the Send templates set it: a {@code camunda:property}, else an input parameter's text. */
  static String input(ServiceTask task, String name) {
    if (task.getExtensionElements() == null) {
      return null;
    }
    for (CamundaProperties properties : task.getExtensionElements().getElementsQuery().filterByType(CamundaProperties.class).list()) {
      for (CamundaProperty p : properties.getCamundaProperties()) {
        if (name.equals(p.getCamundaName())) {
          return p.getCamundaValue();
        }
      }
    }
    for (CamundaInputOutput io : task.getExtensionElements().getElementsQuery().filterByType(CamundaInputOutput.class).list()) {
      for (CamundaInputParameter p : io.getCamundaInputParameters()) {
        if (name.equals(p.getCamundaName()) && p.getDomElement().getChildElements().isEmpty()) {
          return p.getTextContent().trim();
        }
      }
    }
    return null;
  }
}
