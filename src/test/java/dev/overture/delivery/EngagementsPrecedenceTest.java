package dev.overture.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The split's precedence: the strongest of what happened to the message, whatever else happened too. */
class EngagementsPrecedenceTest {

  @Test
  void unsubscribedOutranksBouncedOutranksClickedOutranksOpened() {
    assertThat(Engagements.outcome(true, true, true, true)).isEqualTo("unsubscribed");
    assertThat(Engagements.outcome(false, true, true, true)).isEqualTo("bounced");
    assertThat(Engagements.outcome(false, false, true, true)).isEqualTo("clicked");
    assertThat(Engagements.outcome(false, false, true, false)).as("a click without a loaded pixel").isEqualTo("clicked");
    assertThat(Engagements.outcome(false, false, false, true)).isEqualTo("opened");
    assertThat(Engagements.outcome(false, false, false, false)).isEqualTo("none");
    assertThat(Engagements.PRECEDENCE).containsExactly("unsubscribed", "bounced", "clicked", "opened", "none");
  }
}
