package dev.overture.journey.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.feel.api.EvaluationResult;
import org.camunda.feel.api.FeelEngineApi;
import org.camunda.feel.api.FeelEngineBuilder;
import org.camunda.feel.api.ParseResult;
import org.camunda.feel.syntaxtree.ParsedExpression;

/**
 * A goal's condition: a FEEL expression (Camunda's own engine, the one segments use) over the goal event's
 * properties, e.g. {@code value >= 50 and currency = "EUR"}. Checked for syntax at deployment; an event
 * converts only when the condition is {@code true} (false, null or a failure for that event's properties
 * do not convert).
 */
public final class GoalConditions {

  private static final FeelEngineApi FEEL = FeelEngineBuilder.forJava().build();
  private static final Map<String, ParsedExpression> PARSED = new ConcurrentHashMap<>();

  private GoalConditions() {}

  /** The syntax error in words, empty when the condition parses. */
  public static Optional<String> problem(String condition) {
    ParseResult r = FEEL.parseExpression(condition);
    return r.isSuccess() ? Optional.empty() : Optional.of(r.failure().message());
  }

  /** Whether an event with these properties meets the condition; a null or blank condition is always met. */
  public static boolean met(String condition, Map<String, Object> properties) {
    if (condition == null || condition.isBlank()) {
      return true;
    }
    ParsedExpression parsed = PARSED.computeIfAbsent(condition, c -> {
      ParseResult r = FEEL.parseExpression(c);
      return r.isSuccess() ? r.parsedExpression() : null;
    });
    if (parsed == null) {
      return false;
    }
    EvaluationResult r = FEEL.evaluate(parsed, properties == null ? Map.of() : properties);
    return !r.isFailure() && Boolean.TRUE.equals(r.result());
  }
}
