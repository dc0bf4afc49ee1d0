package dev.overture.experiment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.experiment.JourneyResults;
import java.util.List;
import org.junit.jupiter.api.Test;

class HolmWinnerTest {

  /** An arm with the p-value the results compute for it against the control. */
  private static JourneyResults.Variant arm(String name, long profiles, long conversions, long controlProfiles, long controlConversions) {
    return new JourneyResults.Variant(name, false, profiles, conversions, (double) conversions / profiles, null, null,
        ArmStatistics.pValue(profiles, conversions, controlProfiles, controlConversions));
  }

  private static JourneyResults.Variant control(long profiles, long conversions) {
    return new JourneyResults.Variant("control", true, profiles, conversions, (double) conversions / profiles, null, null, null);
  }

  @Test
  void aSignificantlyBetterArmWinsWithItsAdjustedPValue() {
    var verdict = HolmWinner.decide(List.of(arm("A", 200, 80, 120, 12), arm("B", 200, 30, 120, 12), control(120, 12)), 100, 0.05);

    assertThat(verdict).isPresent();
    assertThat(verdict.get().winner()).isEqualTo("A");
    assertThat(verdict.get().adjustedPValue()).isEqualTo(Math.min(1, 2 * verdict.get().pValue()));
    assertThat(verdict.get().figures()).extracting(JourneyResults.Figure::variant).containsExactly("A", "B", "control");
  }

  @Test
  void noDecisionBelowTheMinimumSampleInAnyArm() {
    assertThat(HolmWinner.decide(List.of(arm("A", 200, 80, 99, 5), control(99, 5)), 100, 0.05)).isEmpty();
  }

  @Test
  void noDecisionWithoutSignificance() {
    assertThat(HolmWinner.decide(List.of(arm("A", 300, 36, 300, 30), control(300, 30)), 100, 0.05)).isEmpty();
  }

  @Test
  void holmRefusesWhatAnUncorrectedTestWouldCallAWinner() {
    // A's p alone is between 0.025 and 0.05: significant for one comparison, not for the smallest of two at 5 %
    JourneyResults.Variant a = arm("A", 1000, 130, 1000, 100);
    JourneyResults.Variant b = arm("B", 1000, 101, 1000, 100);
    assertThat(a.pValue()).isBetween(0.025, 0.05);

    assertThat(HolmWinner.decide(List.of(a, control(1000, 100)), 100, 0.05)).map(HolmWinner.Verdict::winner).contains("A");
    assertThat(HolmWinner.decide(List.of(a, b, control(1000, 100)), 100, 0.05)).isEmpty();
  }

  @Test
  void theControlWinsWhenEveryArmIsSignificantlyWorse() {
    var verdict = HolmWinner.decide(List.of(arm("A", 300, 3, 300, 60), arm("B", 300, 6, 300, 60), control(300, 60)), 100, 0.05);

    assertThat(verdict).map(HolmWinner.Verdict::winner).contains("control");
  }

  @Test
  void noDecisionWithoutAControl() {
    var a = new JourneyResults.Variant("A", false, 500, 250, 0.5, null, null, null);
    var b = new JourneyResults.Variant("B", false, 500, 50, 0.1, null, null, null);
    assertThat(HolmWinner.decide(List.of(a, b), 100, 0.05)).isEmpty();
  }
}
