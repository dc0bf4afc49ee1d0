package dev.overture.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AutoWinnerTest {

  @Test
  void readsTheSplitsPropertiesWithTheirDefaults() {
    assertThat(AutoWinner.of(Map.of(AutoWinner.ENABLED, "true"), 100)).isEqualTo(new AutoWinner(100, 0.05, null, 0));
    assertThat(AutoWinner.of(Map.of(AutoWinner.ENABLED, "true", AutoWinner.MINIMUM_SAMPLE, "250", AutoWinner.ALPHA, "0.01",
        AutoWinner.NOT_BEFORE, "2027-01-31", AutoWinner.CONTROL_SHARE, "10"), 100))
        .isEqualTo(new AutoWinner(250, 0.01, Instant.parse("2027-01-31T00:00:00Z"), 10));
    assertThat(AutoWinner.of(Map.of(AutoWinner.ENABLED, "true", AutoWinner.NOT_BEFORE, "2027-01-31T09:30:00Z"), 100).notBefore())
        .isEqualTo(Instant.parse("2027-01-31T09:30:00Z"));
  }

  @Test
  void isOffUnlessSwitchedOn() {
    assertThat(AutoWinner.of(Map.of(), 100)).isNull();
    assertThat(AutoWinner.of(Map.of(AutoWinner.ENABLED, "false", AutoWinner.MINIMUM_SAMPLE, "5"), 100)).isNull();
  }

  @Test
  void refusesValuesOutOfRangeNamingTheProperty() {
    assertThatThrownBy(() -> AutoWinner.of(Map.of(AutoWinner.ENABLED, "true", AutoWinner.ALPHA, "0.7"), 100))
        .hasMessageContaining("significance level");
    assertThatThrownBy(() -> AutoWinner.of(Map.of(AutoWinner.ENABLED, "true", AutoWinner.CONTROL_SHARE, "100"), 100))
        .hasMessageContaining("share kept in control");
    assertThatThrownBy(() -> AutoWinner.of(Map.of(AutoWinner.ENABLED, "true", AutoWinner.NOT_BEFORE, "soon"), 100))
        .hasMessageContaining(AutoWinner.NOT_BEFORE);
    assertThatThrownBy(() -> AutoWinner.of(Map.of(AutoWinner.ENABLED, "true", AutoWinner.MINIMUM_SAMPLE, "many"), 100))
        .hasMessageContaining(AutoWinner.MINIMUM_SAMPLE);
  }
}
