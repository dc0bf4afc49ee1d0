package dev.overture.segment.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.feel.api.EvaluationFailure;
import org.camunda.feel.api.EvaluationResult;
import org.camunda.feel.api.FeelEngineApi;
import org.camunda.feel.api.FeelEngineBuilder;
import org.camunda.feel.api.ParseResult;
import org.camunda.feel.context.JavaFunction;
import org.camunda.feel.context.JavaFunctionProvider;
import org.camunda.feel.syntaxtree.ParsedExpression;
import org.camunda.feel.syntaxtree.Val;
import org.camunda.feel.syntaxtree.ValBoolean;
import org.camunda.feel.syntaxtree.ValList;
import org.camunda.feel.syntaxtree.ValNull$;
import org.camunda.feel.valuemapper.ValueMapper;
import org.springframework.stereotype.Component;

/**
 * Camunda's own FEEL engine (feel-scala, shipped with Camunda 7.24) with Overture's behaviour
 * functions: {@code events(type)}, {@code events(type, within)}, {@code consented(channel, purpose)},
 * and {@code first(list)} / {@code last(list)}.
 * The functions read the facts of the profile being evaluated, which {@link #evaluate} binds for
 * the duration of one evaluation.
 */
@Component
public class FeelSegmentEngine {

  private static final Pattern POSITION = Pattern.compile(":(\\d+):(\\d+)");
  private static final ThreadLocal<Binding> CURRENT = new ThreadLocal<>();

  private final ValueMapper values = ValueMapper.defaultValueMapper();
  private final FeelEngineApi feel = FeelEngineBuilder.forJava().withFunctionProvider(new BehaviourFunctions()).build();

  /** The profile an evaluation is about and where its behaviour comes from. */
  private record Binding(String profileId, BehaviourFacts facts) {}

  /** A syntax error: the engine's message and, when it gives one, the line and column. */
  public record SyntaxError(String message, Integer line, Integer column) {}

  /** The result for one profile: a member only when the expression is {@code true}; otherwise maybe why not. */
  public record Verdict(boolean member, String failure) {}

  public sealed interface Parsed permits Ok, Failed {}

  public record Ok(ParsedExpression expression) implements Parsed {}

  public record Failed(SyntaxError error) implements Parsed {}

  public Parsed parse(String expression) {
    ParseResult result = feel.parseExpression(expression);
    if (result.isSuccess()) {
      return new Ok(result.parsedExpression());
    }
    String message = result.failure().message();
    Matcher at = POSITION.matcher(message);
    Integer line = null;
    Integer column = null;
    while (at.find()) {
      line = Integer.valueOf(at.group(1));
      column = Integer.valueOf(at.group(2));
    }
    return new Failed(new SyntaxError(message, line, column));
  }

  /**
   * Problems a parse cannot see: unknown functions or wrong arity, found by evaluating once over a
   * profile without attributes or behaviour.
   */
  public Optional<String> dryRun(ParsedExpression expression) {
    EvaluationResult r = evaluateRaw(expression, "dry-run", Map.of(), BehaviourFacts.NONE);
    if (r.isFailure()) {
      return Optional.of(r.failure().message());
    }
    return failures(r).stream()
        .filter(f -> f.failureType().toString().equals("NO_FUNCTION_FOUND")
            || f.failureType().toString().equals("FUNCTION_INVOCATION_FAILURE"))
        .map(EvaluationFailure::failureMessage)
        .findFirst();
  }

  public Verdict evaluate(ParsedExpression expression, String profileId, Map<String, Object> attributes, BehaviourFacts facts) {
    EvaluationResult r = evaluateRaw(expression, profileId, attributes, facts);
    if (r.isFailure()) {
      return new Verdict(false, r.failure().message());
    }
    if (Boolean.TRUE.equals(r.result())) {
      return new Verdict(true, null);
    }
    if (Boolean.FALSE.equals(r.result())) {
      return new Verdict(false, null);
    }
    // null or not a boolean: the expression could not be decided for this profile; say why
    String why = failures(r).stream().map(EvaluationFailure::failureMessage).findFirst()
        .orElse("the expression gave " + r.result() + ", not true or false");
    return new Verdict(false, why);
  }

  private EvaluationResult evaluateRaw(ParsedExpression expression, String profileId, Map<String, Object> attributes,
      BehaviourFacts facts) {
    CURRENT.set(new Binding(profileId, facts));
    try {
      return feel.evaluate(expression, attributes);
    } finally {
      CURRENT.remove();
    }
  }

  private static List<EvaluationFailure> failures(EvaluationResult r) {
    List<EvaluationFailure> out = new ArrayList<>();
    var it = r.suppressedFailures().iterator();
    while (it.hasNext()) {
      out.add(it.next());
    }
    return out;
  }

  private final class BehaviourFunctions extends JavaFunctionProvider {

    private final Map<String, List<JavaFunction>> functions = Map.of(
        "events", List.of(
            new JavaFunction(List.of("type"), args -> events(args.get(0), null)),
            new JavaFunction(List.of("type", "within"), args -> events(args.get(0), args.get(1)))),
        "consented", List.of(
            new JavaFunction(List.of("channel", "purpose"), args -> consented(args.get(0), args.get(1)))),
        // FEEL has list[1] and list[-1]; these read better in segments: last(events("cart.abandoned"))
        "first", List.of(new JavaFunction(List.of("list"), args -> element(args.get(0), true))),
        "last", List.of(new JavaFunction(List.of("list"), args -> element(args.get(0), false))));

    @Override
    public Optional<JavaFunction> resolveFunction(String name) {
      return functions.getOrDefault(name, List.of()).stream().findFirst();
    }

    @Override
    public List<JavaFunction> resolveFunctions(String name) {
      return functions.getOrDefault(name, List.of());
    }

    @Override
    public Collection<String> getFunctionNames() {
      return functions.keySet();
    }
  }

  private Val events(Val type, Val within) {
    Binding b = CURRENT.get();
    Object t = values.unpackVal(type);
    if (!(t instanceof String eventType)) {
      throw new IllegalArgumentException("events() needs an event type as a string, got " + type);
    }
    Instant since = null;
    if (within != null) {
      Object w = values.unpackVal(within);
      if (!(w instanceof Duration) && !(w instanceof Period)) {
        throw new IllegalArgumentException("events() needs a duration such as duration(\"P30D\") as its second argument");
      }
      since = ZonedDateTime.now(ZoneOffset.UTC).minus((TemporalAmount) w).toInstant();
    }
    return values.toVal(b.facts().events(b.profileId(), eventType, since));
  }

  private Val element(Val list, boolean first) {
    if (!(list instanceof ValList l)) {
      throw new IllegalArgumentException("first() and last() need a list, got " + list);
    }
    if (l.items().isEmpty()) {
      return ValNull$.MODULE$;
    }
    return first ? l.items().head() : l.items().last();
  }

  private Val consented(Val channel, Val purpose) {
    Binding b = CURRENT.get();
    Object c = values.unpackVal(channel);
    Object p = values.unpackVal(purpose);
    if (!(c instanceof String ch) || !(p instanceof String pu)) {
      throw new IllegalArgumentException("consented() needs a channel and a purpose as strings");
    }
    return new ValBoolean(b.facts().consented(b.profileId(), ch, pu));
  }
}
