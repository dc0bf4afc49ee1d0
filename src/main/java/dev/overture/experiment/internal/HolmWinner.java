package dev.overture.experiment.internal;

import dev.overture.experiment.JourneyResults;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether an experiment has a winner to route to, from the p-values the results compute (each treatment against the
 * control, {@link ArmStatistics#pValue}), corrected for testing several treatments at once by Holm–Bonferroni: the
 * m p-values in ascending order, the i-th (from 0) rejected while it is below alpha / (m − i), stopping at the first that
 * is not. That holds the chance of any false winner at alpha, as Bonferroni does, and rejects more. The winner is the
 * best-converting treatment among the rejected ones that beat the control; the control wins when every treatment is
 * significantly worse. Every arm needs the minimum sample first.
 */
public final class HolmWinner {

  public static final String METHOD = "holm-bonferroni";

  private HolmWinner() {}

  /** The winner with its raw and Holm-adjusted p-value, and every arm's figures. */
  public record Verdict(String winner, double pValue, double adjustedPValue, List<JourneyResults.Figure> figures) {}

  public static Optional<Verdict> decide(List<JourneyResults.Variant> variants, int minimumSample, double alpha) {
    JourneyResults.Variant control = variants.stream().filter(JourneyResults.Variant::control).findFirst().orElse(null);
    if (control == null || control.rate() == null || variants.size() < 2
        || variants.stream().anyMatch(v -> v.profiles() < minimumSample || v.rate() == null)) {
      return Optional.empty();
    }
    List<JourneyResults.Variant> treatments = variants.stream().filter(v -> v != control && v.pValue() != null)
        .sorted(Comparator.comparing(JourneyResults.Variant::pValue).thenComparing(JourneyResults.Variant::variant)).toList();
    int m = treatments.size();
    List<JourneyResults.Variant> rejected = new ArrayList<>();
    Map<String, Double> adjusted = new HashMap<>();
    double running = 0;
    for (int i = 0; i < m; i++) {
      JourneyResults.Variant t = treatments.get(i);
      // Holm's adjusted p-value: the step-down bound, kept monotone
      running = Math.max(running, Math.min(1.0, (m - i) * t.pValue()));
      adjusted.put(t.variant(), running);
      if (rejected.size() == i && t.pValue() < alpha / (m - i)) {
        rejected.add(t);
      }
    }
    List<JourneyResults.Figure> figures = variants.stream().map(v -> new JourneyResults.Figure(v.variant(), v.control(),
        v.profiles(), v.conversions(), v.rate(), v.pValue(), adjusted.get(v.variant()))).toList();
    Optional<JourneyResults.Variant> best = rejected.stream().filter(v -> v.rate() > control.rate())
        .max(Comparator.comparing(JourneyResults.Variant::rate).thenComparing(JourneyResults.Variant::variant,
            Comparator.reverseOrder()));
    if (best.isPresent()) {
      return Optional.of(new Verdict(best.get().variant(), best.get().pValue(), adjusted.get(best.get().variant()), figures));
    }
    if (m > 0 && rejected.size() == m && rejected.stream().allMatch(v -> v.rate() < control.rate())) {
      JourneyResults.Variant weakest = rejected.get(m - 1);
      return Optional.of(new Verdict(control.variant(), weakest.pValue(), adjusted.get(weakest.variant()), figures));
    }
    return Optional.empty();
  }
}
