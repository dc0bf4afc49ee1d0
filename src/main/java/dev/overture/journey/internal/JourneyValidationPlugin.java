package dev.overture.journey.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import dev.overture.delivery.ApiCalls;
import dev.overture.delivery.ChannelProviders;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParse;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.DeploymentEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.engine.ProcessEngine;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * Refuses a journey at deployment when an element names an unknown delegate bean, an unsupported
 * template version, a message that is no event type, an invalid timer, goal condition or goal window,
 * or (new deployments only) a Send task's channel that has no provider here ({@link ChannelProviders}) and a Call an API
 * step whose endpoint is not in the allow-list ({@link ApiCalls}).
 * The ONLY class that uses Camunda's internal API: a {@link BpmnParseListener} registered by a {@link ProcessEnginePlugin} is
 * the documented extension point, and has no public equivalent (docs/decisions.md).
 */
@Component
class JourneyValidationPlugin extends AbstractBpmnParseListener implements ProcessEnginePlugin {

  private final ApplicationContext context;
  private JourneyRules rules;
  private Function<String, Optional<String>> missingProvider;
  private ApiCalls apiCalls;

  @Autowired
  JourneyValidationPlugin(ApplicationContext context) {
    this.context = context;
  }

  /** A plugin with these rules and providers, outside Spring (a unit test of the checks). */
  JourneyValidationPlugin(JourneyRules rules, Function<String, Optional<String>> missingProvider) {
    this.context = null;
    this.rules = rules;
    this.missingProvider = missingProvider;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomPreBPMNParseListeners() == null) {
      configuration.setCustomPreBPMNParseListeners(new ArrayList<>());
    }
    configuration.getCustomPreBPMNParseListeners().add(this);
  }

  @Override
  public void postInit(ProcessEngineConfigurationImpl configuration) {
    // nothing after init
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine processEngine) {
    // nothing after build
  }

  @Override
  public void parseRootElement(Element root, List<ProcessDefinitionEntity> processDefinitions) {
    JourneyDefinitions.localDeploymentParsed();
    List<String> problems = problems(root, newDeployment(processDefinitions));
    if (!problems.isEmpty()) {
      String processes = processDefinitions.stream().map(ProcessDefinitionEntity::getKey).toList().toString();
      throw new ProcessEngineException("Journey " + processes + " cannot be deployed: " + String.join("; ", problems));
    }
  }

  /** What is wrong with a BPMN document, element by element; the channels' providers only for a new deployment. */
  List<String> problems(Element root, boolean newDeployment) {
    if (rules == null) {
      rules = JourneyRules.fromClasspath(context::containsBean);
      missingProvider = context.getBean(ChannelProviders.class)::missing;
      apiCalls = context.getBean(ApiCalls.class);
    }
    List<String> problems = new ArrayList<>();
    check(root, null, newDeployment, problems);
    return problems;
  }

  /**
   * Whether this parse deploys, rather than reloads a deployed definition into the engine's cache: which
   * providers a node has configured is the start-up check's business for what is deployed already
   * ({@link DeployedJourneyChannels}), and a reload must not fail a running instance.
   */
  private static boolean newDeployment(List<ProcessDefinitionEntity> definitions) {
    CommandContext command = Context.getCommandContext();
    if (command == null || definitions.isEmpty()) {
      return false;
    }
    DeploymentEntity deployment = command.getDbEntityManager().getCachedEntity(DeploymentEntity.class,
        definitions.get(0).getDeploymentId());
    return deployment != null && deployment.isNew();
  }

  private void check(Element element, String elementId, boolean newDeployment, List<String> problems) {
    // an event definition is reported by the event that holds it: that is what Modeler shows
    boolean named = element.attribute("id") != null && !element.getTagName().endsWith("EventDefinition");
    String id = named ? element.attribute("id") : elementId;
    String where = "element '" + id + "'";
    String delegate = camunda(element, "delegateExpression");
    if (delegate != null) {
      add(problems, where, rules.delegateExpression(delegate));
    }
    String template = camunda(element, "modelerTemplate");
    add(problems, where, rules.template(template, camunda(element, "modelerTemplateVersion")));
    if (template != null && template.startsWith(JourneyRules.WAIT_TEMPLATES) && !hasWaitTimer(element)) {
      problems.add(where + ": a Wait template needs a timer of type Date with the value " + JourneyRules.WAIT_UNTIL);
    }
    if (newDeployment && JourneyRules.SEND_MESSAGE.equals(delegate)) {
      add(problems, where, JourneyRules.sendChannels(input(element, "channel"), input(element, "fallbackChannels"),
          missingProvider));
    }
    if (newDeployment && apiCalls != null && ApiCalls.TOPIC.equals(camunda(element, "topic"))) {
      add(problems, where, apiCalls.refused(input(element, "endpoint"), input(element, "method"), input(element, "path")));
    }
    switch (element.getTagName()) {
      case "message" -> add(problems, where, JourneyRules.messageName(element.attribute("name")));
      case "timeDuration", "timeDate", "timeCycle" -> add(problems, where, JourneyRules.timer(element.getTagName(), element.getText()));
      case "property" -> {
        if ("overture:reentry".equals(element.attribute("name"))) {
          add(problems, where, JourneyRules.reentry(element.attribute("value")));
        }
        if (JourneyDefinitions.GOAL_PROPERTY.equals(element.attribute("name"))) {
          add(problems, where, JourneyRules.goal(element.attribute("value")));
        }
        if (JourneyDefinitions.GOAL_CONDITION_PROPERTY.equals(element.attribute("name"))) {
          add(problems, where, JourneyRules.goalCondition(element.attribute("value")));
        }
        if (JourneyDefinitions.GOAL_WINDOW_PROPERTY.equals(element.attribute("name"))) {
          add(problems, where, JourneyRules.goalWindow(element.attribute("value")));
        }
      }
      default -> { }
    }
    for (Element child : element.elements()) {
      check(child, id, newDeployment, problems);
    }
  }

  private static boolean hasWaitTimer(Element element) {
    if ("timeDate".equals(element.getTagName()) && JourneyRules.WAIT_UNTIL.equals(element.getText().trim())) {
      return true;
    }
    return element.elements().stream().anyMatch(JourneyValidationPlugin::hasWaitTimer);
  }

  /** A task's input as the Send templates set it: a {@code camunda:property}, else an input parameter's text. */
  private static String input(Element task, String name) {
    String parameter = null;
    for (Element extensions : task.elements().stream().filter(e -> "extensionElements".equals(e.getTagName())).toList()) {
      for (Element group : extensions.elements()) {
        for (Element e : group.elements()) {
          if (name.equals(e.attribute("name"))) {
            if ("property".equals(e.getTagName())) {
              return e.attribute("value");
            }
            if ("inputParameter".equals(e.getTagName()) && e.elements().isEmpty()) {
              parameter = e.getText() == null ? null : e.getText().trim();
            }
          }
        }
      }
    }
    return parameter;
  }

  private static String camunda(Element element, String attribute) {
    return element.attributeNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, attribute);
  }

  private static void add(List<String> problems, String where, Optional<String> problem) {
    problem.ifPresent(p -> problems.add(where + ": " + p));
  }
}
