package dev.overture.journey.internal;

import dev.overture.delivery.Engagements;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParse;
import org.camunda.bpm.engine.impl.util.xml.Element;

/**
 * The deployment's checks of "Split on engagement" and "Wait for engagement": each names a Send step of its own
 * journey, a Wait for engagement catches the message {@link Engagements#MESSAGE}, and nothing else catches it (a
 * wait without a step would never end early).
 */
final class EngagementSteps {

  static final String SPLIT_TEMPLATE = "dev.overture.EngagementSplit";
  static final String WAIT_TEMPLATE = "dev.overture.EngagementWait";

  /** One problem: the element it is about, the id Modeler shows it at, and what is wrong. */
  record Problem(String ownerId, Element element, String problem) {}

  private EngagementSteps() {}

  /** The problems of the document's engagement steps, each with the element it is about. */
  static List<Problem> check(Element definitions) {
    Map<String, String> messageNames = new HashMap<>();
    for (Element e : definitions.elements()) {
      if ("message".equals(e.getTagName()) && e.attribute("id") != null) {
        messageNames.put(e.attribute("id"), e.attribute("name"));
      }
    }
    List<Problem> problems = new ArrayList<>();
    for (Element process : definitions.elements()) {
      if ("process".equals(process.getTagName())) {
        Set<String> sends = new TreeSet<>();
        collectSends(process, sends);
        check(process, sends, messageNames, problems);
      }
    }
    return problems;
  }

  private static void collectSends(Element element, Set<String> sends) {
    if (JourneyRules.SEND_MESSAGE.equals(camunda(element, "delegateExpression")) && element.attribute("id") != null) {
      sends.add(element.attribute("id"));
    }
    element.elements().forEach(child -> collectSends(child, sends));
  }

  private static void check(Element element, Set<String> sends, Map<String, String> messageNames,
      List<Problem> problems) {
    String id = element.attribute("id");
    String template = camunda(element, "modelerTemplate");
    String step = property(element, Engagements.STEP_PROPERTY);
    boolean engagementStep = SPLIT_TEMPLATE.equals(template) || WAIT_TEMPLATE.equals(template) || step != null;
    if (engagementStep && (step == null || step.isBlank())) {
      problems.add(found(id, element, "names no Send step: set 'Message step' to the id of the Send step whose message it"
          + " is about (Send steps here: " + sends + ")"));
    } else if (engagementStep && !sends.contains(step.trim())) {
      problems.add(found(id, element, Engagements.STEP_PROPERTY + " '" + step + "' is no Send step of this journey (Send steps"
          + " here: " + sends + ")"));
    }
    String caught = caughtMessage(element, messageNames);
    if (WAIT_TEMPLATE.equals(template) && !Engagements.MESSAGE.equals(caught)) {
      problems.add(found(id, element, "a Wait for engagement needs a message event with the message name " + Engagements.MESSAGE));
    }
    if (Engagements.MESSAGE.equals(caught) && step == null) {
      problems.add(found(id, element, "message " + Engagements.MESSAGE + " ends only a Wait for engagement: apply that template"
          + " and name the Send step"));
    }
    element.elements().forEach(child -> check(child, sends, messageNames, problems));
  }

  /** The name of the message an event (or receive task) catches, null for none. */
  private static String caughtMessage(Element element, Map<String, String> messageNames) {
    String ref = "receiveTask".equals(element.getTagName()) ? element.attribute("messageRef") : null;
    for (Element child : element.elements()) {
      if ("messageEventDefinition".equals(child.getTagName())) {
        ref = child.attribute("messageRef");
      }
    }
    return ref == null ? null : messageNames.get(ref);
  }

  private static String property(Element element, String name) {
    for (Element extensions : element.elements()) {
      if (!"extensionElements".equals(extensions.getTagName())) {
        continue;
      }
      for (Element group : extensions.elements()) {
        for (Element p : group.elements()) {
          if ("property".equals(p.getTagName()) && name.equals(p.attribute("name"))) {
            return p.attribute("value") == null ? "" : p.attribute("value");
          }
        }
      }
    }
    return null;
  }

  private static String camunda(Element element, String attribute) {
    return element.attributeNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, attribute);
  }

  private static Problem found(String id, Element element, String problem) {
    return new Problem(id, element, problem);
  }
}
