package dev.overture.journey.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import dev.overture.delivery.ApiCalls;
import dev.overture.delivery.ChannelProviders;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParse;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParser;
import org.camunda.bpm.engine.impl.persistence.entity.SuspensionState;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
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
 * or (new deployments only) a Send task's channel that has no provider here ({@link ChannelProviders}) or a Call an API
 * step whose endpoint is not in the allow-list ({@link ApiCalls}), each problem a parse error of Camunda's own; and
 * makes a new journey version a draft ({@link DraftDeployments}). Uses Camunda's internal API: the parse is the
 * documented extension point and has no public equivalent (docs/decisions.md).
 */
@Component
class JourneyValidationPlugin implements ProcessEnginePlugin {

  private final ApplicationContext context;
  private JourneyRules rules;
  private Function<String, Optional<String>> missingProvider;
  private ApiCalls apiCalls;
  private DraftDeployments versions;
  private ProcessEngine engine;

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
    configuration.setBpmnParseFactory(parser -> new JourneyParse(parser, this));
  }

  @Override
  public void postInit(ProcessEngineConfigurationImpl configuration) {
    // nothing after init
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine processEngine) {
    // the engine's services for what a deployment changes: the start-up deployment runs before they are beans
    this.engine = processEngine;
  }

  /**
   * Camunda's parse with Overture's checks added as parse errors: the engine then refuses the deployment with its own
   * {@code ParseException}, one problem per element (its id, line and column), which its REST API answers as 400 with
   * {@code details} per resource and Camunda Modeler shows beside the element. A parse listener cannot add errors.
   */
  static final class JourneyParse extends BpmnParse {
    private final JourneyValidationPlugin plugin;

    JourneyParse(BpmnParser parser, JourneyValidationPlugin plugin) {
      super(parser);
      this.plugin = plugin;
    }

    @Override
    protected void parseRootElement() {
      super.parseRootElement();
      plugin.parsed(this, deployment, name);
    }
  }

  private void parsed(BpmnParse parse, DeploymentEntity deployment, String resourceName) {
    JourneyDefinitions.localDeploymentParsed();
    boolean newDeployment = deployment != null && deployment.isNew();
    for (Found f : found(parse.getRootElement(), newDeployment)) {
      if (f.ownerId() == null || f.ownerId().equals(f.element().attribute("id"))) {
        parse.addError(f.text(), f.element());
      } else {
        parse.addError(f.text(), f.element(), f.ownerId());
      }
    }
    if (newDeployment && !parse.hasErrors()) {
      if (isApprovalProcess(parse.getRootElement())) {
        return;
      }
      if (versions == null) {
        versions = context.getBean(DraftDeployments.class);
      }
      var signedIn = engine.getIdentityService().getCurrentAuthentication();
      var resource = deployment.getResource(resourceName);
      for (ProcessDefinitionEntity definition : parse.getProcessDefinitions()) {
        DraftDeployments.Decision decision = versions.decide(deployment.getName(), signedIn == null ? null : signedIn.getUserId(),
            definition.getKey(), resource == null ? null : resource.getBytes());
        if (decision.draft()) {
          // inserted suspended: nothing starts a draft, neither an entry nor a message start of Camunda's own
          definition.setSuspensionState(SuspensionState.SUSPENDED.getStateCode());
        }
        versions.deploying(decision, () -> new DraftDeployments.Deployed(definition.getKey(), definition.getId(),
            definition.getVersion()), engine);
      }
    }
  }

  private static boolean isApprovalProcess(Element element) {
    return "userTask".equals(element.getTagName()) || element.elements().stream().anyMatch(JourneyValidationPlugin::isApprovalProcess);
  }

  /** One problem: the element it is about (for line and column), the id Modeler shows it at, and what is wrong. */
  record Found(String ownerId, Element element, String problem) {
    String text() {
      return "element '" + ownerId + "': " + problem;
    }
  }

  /** What is wrong with a BPMN document, element by element; the channels' providers only for a new deployment. */
  List<String> problems(Element root, boolean newDeployment) {
    return found(root, newDeployment).stream().map(Found::text).toList();
  }

  private List<Found> found(Element root, boolean newDeployment) {
    if (rules == null) {
      rules = JourneyRules.fromClasspath(context::containsBean);
      missingProvider = context.getBean(ChannelProviders.class)::missing;
      apiCalls = context.getBean(ApiCalls.class);
    }
    List<Found> problems = new ArrayList<>();
    check(root, null, newDeployment, problems);
    EngagementSteps.check(root).forEach(p -> problems.add(new Found(p.ownerId(), p.element(), p.problem())));
    return problems;
  }

  private void check(Element element, String elementId, boolean newDeployment, List<Found> problems) {
    // an event definition is reported by the event that holds it: that is what Modeler shows
    boolean named = element.attribute("id") != null && !element.getTagName().endsWith("EventDefinition");
    String id = named ? element.attribute("id") : elementId;
    Where where = new Where(id, element);
    String delegate = camunda(element, "delegateExpression");
    if (delegate != null) {
      add(problems, where, rules.delegateExpression(delegate));
    }
    String template = camunda(element, "modelerTemplate");
    add(problems, where, rules.template(template, camunda(element, "modelerTemplateVersion")));
    if (template != null && template.startsWith(JourneyRules.WAIT_TEMPLATES) && !hasWaitTimer(element)) {
      problems.add(where.found("a Wait template needs a timer of type Date with the value " + JourneyRules.WAIT_UNTIL));
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
        if (JourneyDefinitions.PRIORITY_PROPERTY.equals(element.attribute("name"))) {
          add(problems, where, JourneyRules.priority(element.attribute("value")));
        }
        if (JourneyDefinitions.ENTRY_SEGMENT_PROPERTY.equals(element.attribute("name"))) {
          add(problems, where, JourneyRules.entrySegment(element.attribute("value")));
        }
        String name = element.attribute("name");
        if (name != null && name.startsWith("overture:auto-winner")) {
          add(problems, where, JourneyRules.autoWinner(name, element.attribute("value")));
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

  /** The element being checked and the id its problems are reported under. */
  private record Where(String ownerId, Element element) {
    Found found(String problem) {
      return new Found(ownerId, element, problem);
    }
  }

  private static void add(List<Found> problems, Where where, Optional<String> problem) {
    problem.ifPresent(p -> problems.add(where.found(p)));
  }
}
