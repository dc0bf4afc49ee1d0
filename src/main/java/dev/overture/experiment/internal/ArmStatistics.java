package dev.overture.experiment.internal;

import java.util.List;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.apache.commons.math3.stat.interval.WilsonScoreInterval;

/**
 * The statistics of an experiment's arms, from Apache Commons Math rather than by hand: the Wilson score
 * interval for a rate (sound for small samples and rates near 0 or 1, unlike the normal approximation) and
 * Pearson's chi-squared test on the 2×2 table arm × control (converted, not converted), which is the
 * two-sided two-proportion z-test (chi² = z²).
 */
public final class ArmStatistics {

  /** Significance level for a winner. */
  public static final double ALPHA = 0.05;

  private static final ChiSquareTest CHI_SQUARED = new ChiSquareTest();

  private ArmStatistics() {}

  /** The 95 % Wilson interval [lower, upper] of conversions / profiles; null without profiles. */
  public static List<Double> ci95(long profiles, long conversions) {
    if (profiles <= 0) {
      return null;
    }
    ConfidenceInterval ci = new WilsonScoreInterval().createInterval((int) profiles, (int) conversions, 0.95);
    return List.of(ci.getLowerBound(), ci.getUpperBound());
  }

  /**
   * The p-value of the difference between two arms' rates. When neither arm has a conversion, or every profile of
   * both converted, the rates are equal and the table has an empty column, where the test is undefined: 1.
   */
  public static Double pValue(long profiles, long conversions, long controlProfiles, long controlConversions) {
    if (profiles <= 0 || controlProfiles <= 0) {
      return null;
    }
    long converted = conversions + controlConversions;
    long notConverted = profiles - conversions + controlProfiles - controlConversions;
    if (converted == 0 || notConverted == 0) {
      return 1.0;
    }
    return CHI_SQUARED.chiSquareTest(new long[][] {
        {conversions, profiles - conversions},
        {controlConversions, controlProfiles - controlConversions}});
  }
}
