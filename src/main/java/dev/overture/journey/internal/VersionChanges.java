package dev.overture.journey.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.camunda.bpm.model.xml.instance.DomElement;

/**
 * What a journey version changes against another, in words a compliance reviewer reads in Tasklist: the steps added,
 * removed and changed (by element id and name), the creatives and channels its Send steps use, its goal, re-entry
 * rule and waits. A step counts as changed when its type, name, settings or where it leads differ.
 */
public final class VersionChanges {

  private VersionChanges() {}

  /** The review's text (Markdown); {@code live} null for a journey with no live version yet. */
  public static String describe(BpmnModelInstance live, BpmnModelInstance candidate, String journeyKey) {
    Map<String, FlowNode> before = nodes(live);
    Map<String, FlowNode> after = nodes(candidate);
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    after.forEach((id, node) -> {
      if (!before.containsKey(id)) {
        added.add(label(node));
      } else if (!signature(before.get(id)).equals(signature(node))) {
        changed.add(label(node));
      }
    });
    before.forEach((id, node) -> {
      if (!after.containsKey(id)) {
        removed.add(label(node));
      }
    });
    StringBuilder out = new StringBuilder();
    section(out, "Steps added", added);
    section(out, "Steps removed", removed);
    section(out, "Steps changed", changed);
    compare(out, "Messages sent (creative, channel)", sends(live), sends(candidate));
    compare(out, "Waits", waits(live), waits(candidate));
    compare(out, "Goal", List.of(property(live, journeyKey, JourneyDefinitions.GOAL_PROPERTY) + " "
        + property(live, journeyKey, JourneyDefinitions.GOAL_CONDITION_PROPERTY) + " "
        + property(live, journeyKey, JourneyDefinitions.GOAL_WINDOW_PROPERTY)),
        List.of(property(candidate, journeyKey, JourneyDefinitions.GOAL_PROPERTY) + " "
            + property(candidate, journeyKey, JourneyDefinitions.GOAL_CONDITION_PROPERTY) + " "
            + property(candidate, journeyKey, JourneyDefinitions.GOAL_WINDOW_PROPERTY)));
    compare(out, "Re-entry rule", List.of(property(live, journeyKey, "overture:reentry")),
        List.of(property(candidate, journeyKey, "overture:reentry")));
    return out.toString().trim();
  }

  private static void section(StringBuilder out, String title, List<String> items) {
    out.append("### ").append(title).append("\n\n");
    out.append(items.isEmpty() ? "- none\n" : items.stream().map(i -> "- " + i).collect(Collectors.joining("\n")) + "\n");
    out.append('\n');
  }

  private static void compare(StringBuilder out, String title, List<String> before, List<String> after) {
    boolean same = Objects.equals(before, after);
    out.append("### ").append(title).append(same ? " (unchanged)" : "").append("\n\n");
    out.append(after.isEmpty() ? "- none\n" : after.stream().map(i -> "- " + i.trim()).collect(Collectors.joining("\n")) + "\n");
    if (!same) {
      out.append("\nwas:\n\n").append(before.isEmpty() ? "- none\n"
          : before.stream().map(i -> "- " + i.trim()).collect(Collectors.joining("\n")) + "\n");
    }
    out.append('\n');
  }

  private static Map<String, FlowNode> nodes(BpmnModelInstance model) {
    Map<String, FlowNode> out = new LinkedHashMap<>();
    if (model != null) {
      model.getModelElementsByType(FlowNode.class).forEach(n -> out.put(n.getId(), n));
    }
    return out;
  }

  private static String label(FlowNode node) {
    return "`" + node.getId() + "`" + (node.getName() == null ? "" : " " + node.getName().replace('\n', ' '))
        + " (" + node.getElementType().getTypeName() + ")";
  }

  /** The node's type, attributes and nested settings, and the ids it leads to: what makes it behave as it does. */
  private static String signature(FlowNode node) {
    StringBuilder out = new StringBuilder(node.getElementType().getTypeName());
    dom(node.getDomElement(), out);
    node.getSucceedingNodes().list().forEach(n -> out.append("->").append(n.getId()));
    return out.toString();
  }

  private static final String CAMUNDA = "http://camunda.org/schema/1.0/bpmn";

  private static void dom(DomElement element, StringBuilder out) {
    String name = element.getLocalName();
    if ("incoming".equals(name) || "outgoing".equals(name) || "documentation".equals(name)) {
      return;
    }
    out.append('<').append(name);
    for (String attribute : List.of("name", "value", "messageRef", "attachedToRef", "cancelActivity", "default")) {
      attribute(out, attribute, element.getAttribute(attribute));
    }
    for (String attribute : List.of("delegateExpression", "expression", "class", "modelerTemplate", "modelerTemplateVersion",
        "asyncBefore", "asyncAfter")) {
      attribute(out, attribute, element.getAttribute(CAMUNDA, attribute));
    }
    out.append('>');
    if (element.getChildElements().isEmpty() && element.getTextContent() != null) {
      out.append(element.getTextContent().trim());
    }
    element.getChildElements().forEach(child -> dom(child, out));
  }

  private static void attribute(StringBuilder out, String name, String value) {
    if (value != null) {
      out.append(' ').append(name).append('=').append(value);
    }
  }

  private static List<String> sends(BpmnModelInstance model) {
    List<String> out = new ArrayList<>();
    for (FlowNode node : nodes(model).values()) {
      String delegate = node.getAttributeValueNs(CAMUNDA, "delegateExpression");
      if (JourneyRules.SEND_MESSAGE.equals(delegate)) {
        out.add("`" + node.getId() + "`: " + setting(node, "creativeKey") + ", " + setting(node, "channel"));
      }
    }
    return out;
  }

  private static List<String> waits(BpmnModelInstance model) {
    List<String> out = new ArrayList<>();
    if (model == null) {
      return out;
    }
    for (TimerEventDefinition timer : model.getModelElementsByType(TimerEventDefinition.class)) {
      String value = timer.getTimeDuration() != null ? "after " + timer.getTimeDuration().getTextContent()
          : timer.getTimeDate() != null ? "until " + timer.getTimeDate().getTextContent()
          : timer.getTimeCycle() != null ? "every " + timer.getTimeCycle().getTextContent() : "?";
      String owner = timer.getParentElement() instanceof FlowNode n ? n.getId() : timer.getId();
      out.add("`" + owner + "`: " + value.trim());
    }
    return out;
  }

  /** A Send step's setting as the templates write it: a camunda:property, else an input parameter's text. */
  private static String setting(FlowNode node, String name) {
    if (node.getExtensionElements() != null) {
      for (CamundaProperties props : node.getExtensionElements().getElementsQuery().filterByType(CamundaProperties.class).list()) {
        for (CamundaProperty p : props.getCamundaProperties()) {
          if (name.equals(p.getCamundaName())) {
            return p.getCamundaValue();
          }
        }
      }
      for (var io : node.getExtensionElements().getElementsQuery()
          .filterByType(org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputOutput.class).list()) {
        for (var input : io.getCamundaInputParameters()) {
          if (name.equals(input.getCamundaName())) {
            return input.getTextContent().trim();
          }
        }
      }
    }
    return "-";
  }

  private static String property(BpmnModelInstance model, String journeyKey, String name) {
    if (model == null) {
      return "";
    }
    Process process = model.getModelElementById(journeyKey);
    if (process == null || process.getExtensionElements() == null) {
      return "";
    }
    for (CamundaProperties props : process.getExtensionElements().getElementsQuery().filterByType(CamundaProperties.class).list()) {
      for (CamundaProperty p : props.getCamundaProperties()) {
        if (name.equals(p.getCamundaName()) && p.getCamundaValue() != null) {
          return p.getCamundaValue();
        }
      }
    }
    return "";
  }
}
