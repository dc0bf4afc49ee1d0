package dev.overture.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReentryRuleTest {

  @Test
  void parsesTheThreeRulesAndDefaultsToOneActiveInstance() {
    assertThat(ReentryRule.parse("always").kind()).isEqualTo(ReentryRule.Kind.ALWAYS);
    assertThat(ReentryRule.parse(" never ").kind()).isEqualTo(ReentryRule.Kind.NEVER);
    assertThat(ReentryRule.parse("after:P30D")).isEqualTo(new ReentryRule(ReentryRule.Kind.AFTER, Duration.ofDays(30)));
    assertThat(ReentryRule.parse("after:pt12h").after()).isEqualTo(Duration.ofHours(12));
    assertThat(ReentryRule.parse(null)).isEqualTo(ReentryRule.DEFAULT);
    assertThat(ReentryRule.DEFAULT.kind()).isEqualTo(ReentryRule.Kind.NOT_WHILE_ACTIVE);
  }

  @Test
  void showsTheRuleAsAModelerWritesIt() {
    assertThat(ReentryRule.parse("after:P7D").value()).isEqualTo("after:P7D");
    assertThat(ReentryRule.parse("after:PT36H").value()).isEqualTo("after:PT36H");
    assertThat(ReentryRule.parse("always").value()).isEqualTo("always");
    assertThat(ReentryRule.parse("never").value()).isEqualTo("never");
    assertThat(ReentryRule.DEFAULT.value()).isEqualTo("not-while-active");
  }

  @Test
  void refusesWhatItCannotUnderstand() {
    assertThatThrownBy(() -> ReentryRule.parse("sometimes")).hasMessageContaining("always, never or after");
    assertThatThrownBy(() -> ReentryRule.parse("after:30 days")).hasMessageContaining("ISO duration");
  }
}
