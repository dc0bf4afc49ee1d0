package dev.overture.segment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.camunda.feel.syntaxtree.ParsedExpression;
import org.junit.jupiter.api.Test;

/** The FEEL engine with Overture's behaviour functions, over facts given in memory. */
class FeelSegmentEngineTest {

  private final FeelSegmentEngine engine = new FeelSegmentEngine();

  private final BehaviourFacts facts = new BehaviourFacts() {
    @Override
    public List<Map<String, Object>> events(String profileId, String type, Instant since) {
      Instant now = Instant.now();
      List<Map<String, Object>> all = List.of(
          Map.of("type", type, "occurredAt", now.minus(40, ChronoUnit.DAYS).atZone(ZoneOffset.UTC), "properties", Map.of("value", 150)),
          Map.of("type", type, "occurredAt", now.minus(2, ChronoUnit.DAYS).atZone(ZoneOffset.UTC), "properties", Map.of("value", 90)),
          Map.of("type", type, "occurredAt", now.minus(1, ChronoUnit.DAYS).atZone(ZoneOffset.UTC), "properties", Map.of("value", 120)));
      return all.stream().filter(e -> since == null
          || !((java.time.ZonedDateTime) e.get("occurredAt")).toInstant().isBefore(since)).toList();
    }

    @Override
    public boolean consented(String profileId, String channel, String purpose) {
      return channel.equals("email");
    }
  };

  @Test
  void attributesAndListMembership() {
    assertThat(member("tier = \"gold\" and country in [\"DE\",\"AT\"]", Map.of("tier", "gold", "country", "AT"))).isTrue();
    assertThat(member("tier = \"gold\" and country in [\"DE\",\"AT\"]", Map.of("tier", "gold", "country", "FR"))).isFalse();
  }

  @Test
  void behaviourFunctions() {
    assertThat(member("count(events(\"purchase.completed\", duration(\"P30D\"))) >= 2", Map.of())).isTrue();
    assertThat(member("count(events(\"purchase.completed\", duration(\"P30D\"))) >= 3", Map.of())).isFalse();
    assertThat(member("count(events(\"purchase.completed\")) >= 3", Map.of())).isTrue();
    assertThat(member("last(events(\"cart.abandoned\")).properties.value > 100", Map.of())).isTrue();
    assertThat(member("consented(\"email\", \"marketing\")", Map.of())).isTrue();
    assertThat(member("consented(\"sms\", \"marketing\")", Map.of())).isFalse();
  }

  @Test
  void aTypeErrorIsNotMembershipAndSaysWhy() {
    FeelSegmentEngine.Verdict v = engine.evaluate(parse("age > 30"), "p", Map.of("age", "forty"), facts);
    assertThat(v.member()).isFalse();
    assertThat(v.failure()).contains("forty");
    assertThat(engine.evaluate(parse("age > 30"), "p", Map.of(), facts).failure()).contains("age");
    assertThat(engine.evaluate(parse("age > 30"), "p", Map.of("age", 20), facts).failure()).isNull();
  }

  @Test
  void dryRunFindsUnknownFunctionsAndBadArguments() {
    assertThat(engine.dryRun(parse("clicks(\"x\") > 1"))).hasValueSatisfying(m -> assertThat(m).contains("clicks"));
    assertThat(engine.dryRun(parse("consented(\"pigeon\", \"marketing\")"))).hasValueSatisfying(m -> assertThat(m).contains("pigeon"));
    assertThat(engine.dryRun(parse("last(events(\"cart.abandoned\")).properties.value > 100"))).isEmpty();
  }

  private boolean member(String expression, Map<String, Object> attributes) {
    FeelSegmentEngine.Verdict v = engine.evaluate(parse(expression), "p", attributes, facts);
    return v.member();
  }

  private ParsedExpression parse(String expression) {
    return ((FeelSegmentEngine.Ok) engine.parse(expression)).expression();
  }
}
