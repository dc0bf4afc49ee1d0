package dev.overture.experiment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.overture.experiment.JourneyResults.Variant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArmStatisticsTest {

  @Test
  void theWilsonIntervalOfARate() {
    // 60 of 450: Wilson's formula with z = 1.95996 gives 0.10501 to 0.16787
    List<Double> ci = ArmStatistics.ci95(450, 60);
    assertThat(ci.get(0)).isCloseTo(0.10501, within(0.00001));
    assertThat(ci.get(1)).isCloseTo(0.16787, within(0.00001));
    assertThat(ArmStatistics.ci95(0, 0)).isNull();
  }

  @Test
  void thePValueIsTheTwoProportionZTests() {
    // 60/450 against 8/100: pooled p = 68/550, z = (0.1333 - 0.08) / sqrt(p(1-p)(1/450 + 1/100)) = 1.4656, two-sided p = 0.14276
    assertThat(ArmStatistics.pValue(450, 60, 100, 8)).isCloseTo(0.14276, within(0.00001));
    assertThat(ArmStatistics.pValue(100, 0, 100, 0)).isEqualTo(1.0);
    assertThat(ArmStatistics.pValue(0, 0, 100, 5)).isNull();
  }

  @Test
  void aWinnerNeedsSignificanceAndTheMinimumSampleInEveryArm() {
    Variant control = new Variant("control", true, 1000, 50, 0.05, null, null, null);
    Variant a = new Variant("A", false, 1000, 90, 0.09, null, 0.8, 0.0004);
    Variant b = new Variant("B", false, 1000, 60, 0.06, null, 0.2, 0.33);
    assertThat(Results.winner(List.of(a, b, control), 100)).isEqualTo("A");
    assertThat(Results.winner(List.of(a, b, control), 1001)).as("an arm below the minimum sample").isNull();
    assertThat(Results.winner(List.of(b, control), 100)).as("not significant").isNull();
    assertThat(Results.winner(List.of(a, b), 100)).as("no control").isNull();
    Variant worse = new Variant("C", false, 1000, 20, 0.02, null, -0.6, 0.0001);
    assertThat(Results.winner(List.of(worse, control), 100)).as("the control beats every offer").isEqualTo("control");
  }
}
