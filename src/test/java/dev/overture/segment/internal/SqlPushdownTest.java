package dev.overture.segment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.profile.AttributeCondition;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which parts of a segment expression become SQL conditions, and when SQL alone decides. */
class SqlPushdownTest {

  private final FeelSegmentEngine engine = new FeelSegmentEngine();

  @Test
  void stringConditionsOnIndexedAttributesDecideAlone() {
    SqlPushdown.Plan plan = plan("tier = \"gold\" and country in [\"DE\",\"AT\"]");

    assertThat(plan.exact()).isTrue();
    assertThat(plan.conditions()).containsExactly(
        AttributeCondition.oneOf("tier", List.of("gold")), AttributeCondition.oneOf("country", List.of("DE", "AT")));
  }

  @Test
  void otherAttributesAndNumbersNarrowTheCandidatesButFeelDecides() {
    SqlPushdown.Plan plan = plan("\"gold\" = tier and plan in (\"pro\", \"team\") and 40 <= age");

    assertThat(plan.exact()).isFalse();
    assertThat(plan.conditions()).containsExactly(
        AttributeCondition.oneOf("tier", List.of("gold")),
        AttributeCondition.oneOf("plan", List.of("pro", "team")),
        AttributeCondition.compare("age", ">=", new BigDecimal("40")));
  }

  @Test
  void behaviourAndDisjunctionsStayWithFeel() {
    assertThat(plan("tier = \"gold\" or country = \"DE\"").conditions()).isEmpty();
    SqlPushdown.Plan plan = plan("tier = \"gold\" and count(events(\"purchase.completed\")) >= 2");
    assertThat(plan.exact()).isFalse();
    assertThat(plan.conditions()).containsExactly(AttributeCondition.oneOf("tier", List.of("gold")));
  }

  @Test
  void inSwallowsTheRestOfTheExpressionSoNothingAfterItIsPushed() {
    // FEEL parses `country in ["DE"] and tier = "gold"` as `country in (["DE"] and tier = "gold")`
    assertThat(plan("country in [\"DE\"] and tier = \"gold\"").conditions()).isEmpty();
  }

  private SqlPushdown.Plan plan(String expression) {
    return SqlPushdown.plan(((FeelSegmentEngine.Ok) engine.parse(expression)).expression().expression());
  }
}
