package dev.overture.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What a journey achieved: entries and conversions (with revenue) in a period of entry, per day of conversion,
 * per message (last and any touch), per end event, per experiment variant, and the global holdout beside them.
 * {@code entered} counts each run under the version it is on now; {@code migratedIn} how many of them a migration
 * brought there.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record JourneyResults(String journeyKey, Integer version, Instant from, Instant to, Goal goal, long entered,
    long migratedIn, long conversions, Double conversionRate, BigDecimal revenue, List<Day> daily, List<Message> byMessage,
    List<EndEvent> byEndEvent, List<Experiment> experiments, Holdout holdout) {

  /** The goal as the version declares it (the latest when no version is asked for); null when it declares none. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Goal(String eventType, String condition, String window) {}

  public record Day(LocalDate day, long conversions, BigDecimal revenue) {}

  /** A message step: conversions whose last touch it was (with their revenue), and those it touched at all. */
  public record Message(String elementId, long lastTouch, long anyTouch, BigDecimal revenue) {}

  /** An end event: instances that ended there, how many of them converted, and the share. */
  public record EndEvent(String elementId, long reached, long converted, Double conversionRate) {}

  /** One split's experiment; {@code winner} is null unless significant with every arm at {@code minimumSample}. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Experiment(String experimentKey, String elementId, int minimumSample, List<Variant> variants, String winner) {}

  /**
   * One arm: profiles assigned (outside the holdout), those of them that converted, the rate with its 95 % Wilson
   * interval, and lift and p-value against the control arm (null for the control itself or when there is none).
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Variant(String variant, boolean control, long profiles, long conversions, Double rate, List<Double> ci95,
      Double lift, Double pValue) {}

  /** The profiles of the global holdout that entered the journey (they received no marketing message), and their conversions. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Holdout(double percent, long profiles, long conversions, Double rate) {}
}
