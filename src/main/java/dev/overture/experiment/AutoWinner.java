package dev.overture.experiment;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * A Split's {@code overture:auto-winner} rule, from the task's {@code camunda:property} fields that the Split template
 * writes: once every arm has {@code minimumSample} profiles, the decision date (if any) has come and a treatment's
 * lift over the control is significant at {@code alpha} after Holm–Bonferroni over all treatments, every later entry
 * goes to the winner, but {@code controlShare} percent of the profiles, which stay in the control to keep measuring.
 */
public record AutoWinner(int minimumSample, double alpha, Instant notBefore, int controlShare) {

  public static final String ENABLED = "overture:auto-winner";
  public static final String MINIMUM_SAMPLE = "overture:auto-winner-minimum-sample";
  public static final String ALPHA = "overture:auto-winner-alpha";
  public static final String NOT_BEFORE = "overture:auto-winner-not-before";
  public static final String CONTROL_SHARE = "overture:auto-winner-control-share";

  public AutoWinner {
    if (minimumSample < 1) {
      throw new IllegalArgumentException("the minimum sample per arm must be at least 1, got " + minimumSample);
    }
    if (!(alpha > 0 && alpha <= 0.5)) {
      throw new IllegalArgumentException("the significance level must be above 0 and at most 0.5, got " + alpha);
    }
    if (controlShare < 0 || controlShare > 99) {
      throw new IllegalArgumentException("the share kept in control must be 0 to 99 percent, got " + controlShare);
    }
  }

  /**
   * The rule the task's properties declare, or null when {@value #ENABLED} is not {@code true}; {@code defaultSample}
   * stands in for a blank minimum sample, 0.05 for a blank level, 0 for a blank share.
   * @throws IllegalArgumentException naming the property that does not read
   */
  public static AutoWinner of(Map<String, String> properties, int defaultSample) {
    if (!"true".equalsIgnoreCase(blankToNull(properties.get(ENABLED)))) {
      return null;
    }
    String sample = blankToNull(properties.get(MINIMUM_SAMPLE));
    String alpha = blankToNull(properties.get(ALPHA));
    String share = blankToNull(properties.get(CONTROL_SHARE));
    try {
      return new AutoWinner(sample == null ? defaultSample : Integer.parseInt(sample),
          alpha == null ? 0.05 : Double.parseDouble(alpha), notBefore(blankToNull(properties.get(NOT_BEFORE))),
          share == null ? 0 : Integer.parseInt(share));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(MINIMUM_SAMPLE + ", " + ALPHA + " and " + CONTROL_SHARE + " must be numbers: "
          + e.getMessage());
    }
  }

  /** A date (that day's start, UTC) or an instant; null stays null. */
  static Instant notBefore(String value) {
    if (value == null) {
      return null;
    }
    try {
      return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(NOT_BEFORE + " must be a date (2027-01-31) or an instant (2027-01-31T09:00:00Z), got '"
          + value + "'");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
