package dev.overture.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.springframework.lang.Nullable;

/**
 * What a journey achieved: entries and conversions (with revenue) in a period of entry, per day of conversion,
 * per message (last and any touch), per end event, per experiment variant, and the global holdout beside them.
 * {@code entered} counts each run under the version it is on now; {@code migratedIn} how many of them a migration
 * brought there.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record JourneyResults(String journeyKey, @Nullable Integer version, @Nullable Instant from, @Nullable Instant to,
    @Nullable Goal goal, long entered, long migratedIn,
    long conversions, @Nullable Double conversionRate, BigDecimal revenue, List<Day> daily, List<Message> byMessage,
    List<EndEvent> byEndEvent, List<Experiment> experiments, Holdout holdout) {

  /** The same results with these experiments (their auto-winner decisions attached). */
  public JourneyResults withExperiments(List<Experiment> replaced) {
    return new JourneyResults(journeyKey, version, from, to, goal, entered, migratedIn, conversions, conversionRate, revenue,
        daily, byMessage, byEndEvent, replaced, holdout);
  }

  /** The goal as the version declares it (the latest when no version is asked for); null when it declares none. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Goal(String eventType, @Nullable String condition, @Nullable String window) {}

  @Schema(name = "ConversionDay")
  public record Day(LocalDate day, long conversions, BigDecimal revenue) {}

  /** A message step: conversions whose last touch it was (with their revenue), and those it touched at all. */
  public record Message(String elementId, long lastTouch, long anyTouch, BigDecimal revenue) {}

  /** An end event: instances that ended there, how many of them converted, and the share. */
  public record EndEvent(String elementId, long reached, long converted, Double conversionRate) {}

  /**
   * One split's experiment; {@code winner} is null unless significant with every arm at {@code minimumSample} (each arm
   * against the control at 5 %, as of now). {@code decision} is the auto-winner decision the split acts on, recorded once
   * and kept (null without one).
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Experiment(String experimentKey, String elementId, int minimumSample, List<Variant> variants,
      @Nullable String winner, @Nullable Decision decision) {

    public Experiment withDecision(Decision d) {
      return new Experiment(experimentKey, elementId, minimumSample, variants, winner, d);
    }
  }

  /**
   * An auto-winner decision: when it was taken, the winner, its p-value against the control and the Holm-adjusted one,
   * the rule it met (level, minimum sample, method), the share of later entries kept in the control, and the arms'
   * figures at that moment. Every entry after it goes to {@code winner}, but {@code controlShare} percent.
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Decision(String winner, Instant decidedAt, double pValue, double adjustedPValue, double alpha, int minimumSample,
      String method, String controlVariant, int controlShare, List<Figure> figures) {}

  /** One arm as the decision saw it; {@code adjustedPValue} is Holm's (null for the control). */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Figure(String variant, boolean control, long profiles, long conversions, @Nullable Double rate,
      @Nullable Double pValue, @Nullable Double adjustedPValue) {}

  /**
   * One arm: profiles assigned (outside the holdout), those of them that converted, the rate with its 95 % Wilson
   * interval, and lift and p-value against the control arm (null for the control itself or when there is none).
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  @Schema(name = "ExperimentVariant")
  public record Variant(String variant, boolean control, long profiles, long conversions, @Nullable Double rate,
      @Nullable List<Double> ci95,
      @Nullable Double lift, @Nullable Double pValue) {}

  /** The profiles of the global holdout that entered the journey (they received no marketing message), and their conversions. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Holdout(double percent, long profiles, long conversions, @Nullable Double rate) {}
}
