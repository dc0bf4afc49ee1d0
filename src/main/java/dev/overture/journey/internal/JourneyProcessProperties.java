package dev.overture.journey.internal;

import dev.overture.journey.ReentryRule;
import java.time.Duration;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code camunda:property} values a journey's process declares, read from its model (their meaning: {@link JourneyDefinitions}). */
record JourneyProcessProperties(ReentryRule reentry, String goal, String goalCondition, Duration goalWindow, int priority,
    String entrySegment) {

  static final String GOAL_PROPERTY = "overture:goal";
  static final String GOAL_CONDITION_PROPERTY = "overture:goal-condition";
  static final String GOAL_WINDOW_PROPERTY = "overture:goal-window";
  static final String PRIORITY_PROPERTY = "overture:priority";
  static final String ENTRY_SEGMENT_PROPERTY = "overture:entry-segment";
  static final Duration DEFAULT_GOAL_WINDOW = Duration.ofDays(30);

  private static final Logger log = LoggerFactory.getLogger(JourneyProcessProperties.class);

  /** A bad value is logged and read as the default: deployment refuses such models, older deployments may hold one. */
  static JourneyProcessProperties of(Process process, String journeyKey) {
    ReentryRule rule = ReentryRule.DEFAULT;
    String goal = null;
    String condition = null;
    Duration window = DEFAULT_GOAL_WINDOW;
    int priority = 0;
    String entrySegment = null;
    if (process.getExtensionElements() != null) {
      for (CamundaProperties props : process.getExtensionElements().getElementsQuery().filterByType(CamundaProperties.class).list()) {
        for (CamundaProperty p : props.getCamundaProperties()) {
          if (GOAL_PROPERTY.equals(p.getCamundaName())) {
            goal = p.getCamundaValue() == null || p.getCamundaValue().isBlank() ? null : p.getCamundaValue();
          }
          String value = p.getCamundaValue() == null || p.getCamundaValue().isBlank() ? null : p.getCamundaValue().trim();
          if (GOAL_CONDITION_PROPERTY.equals(p.getCamundaName())) {
            condition = value;
          }
          if (ENTRY_SEGMENT_PROPERTY.equals(p.getCamundaName())) {
            entrySegment = value;
          }
          if (GOAL_WINDOW_PROPERTY.equals(p.getCamundaName()) && value != null) {
            try {
              window = Duration.parse(value);
            } catch (java.time.format.DateTimeParseException e) {
              log.error("Journey {}: goal window '{}' is no ISO 8601 duration; using {}", journeyKey, value, DEFAULT_GOAL_WINDOW);
            }
          }
          // deployment refuses any other value (JourneyValidationPlugin)
          if (PRIORITY_PROPERTY.equals(p.getCamundaName()) && value != null && JourneyRules.priority(value).isEmpty()) {
            priority = Integer.parseInt(value);
          }
          if (ReentryRule.PROPERTY.equals(p.getCamundaName())) {
            try {
              rule = ReentryRule.parse(p.getCamundaValue());
            } catch (IllegalArgumentException e) {
              log.error("Journey {}: {}; using the default rule ({})", journeyKey, e.getMessage(), ReentryRule.DEFAULT);
            }
          }
        }
      }
    }
    return new JourneyProcessProperties(rule, goal, condition, window, priority, entrySegment);
  }
}
