package dev.overture.experiment.internal;

import dev.overture.delivery.Holdout;
import dev.overture.experiment.JourneyResults;
import dev.overture.journey.JourneyGoals;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Computes {@link JourneyResults} from {@code journey_run} (entries, filtered by version and entry time),
 * {@code journey_conversion} and its touches, and {@code experiment_assignment}. Experiment arms leave out the
 * profiles of the global holdout (they got no message, whatever their arm), which are reported on their own;
 * {@code entered} and {@code conversions} count every entry, as the stats do. Test profiles' runs count nowhere.
 */
@Component
public class Results {

  private final JdbcClient jdbc;
  private final JourneyGoals goals;
  private final Holdout holdout;
  private final ExperimentsProperties props;

  Results(JdbcClient jdbc, JourneyGoals goals, Holdout holdout, ExperimentsProperties props) {
    this.jdbc = jdbc;
    this.goals = goals;
    this.holdout = holdout;
    this.props = props;
  }

  /** The runs of one journey that the filters select, as SQL over {@code journey_run r}, with its parameters. */
  private record Filter(String where, Map<String, Object> params) {
    JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec) {
      for (Map.Entry<String, Object> p : params.entrySet()) {
        spec = spec.param(p.getKey(), p.getValue());
      }
      return spec;
    }
  }

  public JourneyResults of(String journeyKey, Integer version, Instant from, Instant to) {
    Filter f = filter(journeyKey, version, from, to);
    // migrated_from: the run came into its version by a migration; entered counts it under the version it is on now
    long[] runs = f.bind(jdbc.sql("SELECT COUNT(*), COUNT(r.migrated_from) FROM journey_run r WHERE " + f.where()))
        .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}).single();
    long entered = runs[0];
    Map<String, Object> totals = f.bind(jdbc.sql("SELECT COUNT(*) AS n, SUM(c.revenue) AS revenue FROM journey_conversion c "
        + "JOIN journey_run r ON r.instance_id = c.instance_id WHERE " + f.where())).query().singleRow();
    long conversions = ((Number) totals.get("n")).longValue();
    BigDecimal revenue = money(totals.get("revenue"));
    Optional<JourneyGoals.Goal> goal = goals.of(journeyKey, version);
    return new JourneyResults(journeyKey, version, from, to,
        goal.map(g -> new JourneyResults.Goal(g.eventType(), g.condition(), JourneyGoals.iso(g.window()))).orElse(null),
        entered, runs[1], conversions, goal.isEmpty() || entered == 0 ? null : (double) conversions / entered, revenue,
        daily(f), byMessage(f), byEndEvent(f), experiments(f), holdout(f));
  }

  private static Filter filter(String journeyKey, Integer version, Instant from, Instant to) {
    // a test profile's runs count nowhere (docs/events.md, "Test mode")
    StringBuilder where = new StringBuilder("r.journey_key = :journeyKey AND r.test = 0");
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("journeyKey", journeyKey);
    if (version != null) {
      where.append(" AND r.version = :version");
      params.put("version", version);
    }
    if (from != null) {
      where.append(" AND r.started_at >= :from");
      params.put("from", Utc.of(from));
    }
    if (to != null) {
      where.append(" AND r.started_at < :to");
      params.put("to", Utc.of(to));
    }
    return new Filter(where.toString(), params);
  }

  private List<JourneyResults.Day> daily(Filter f) {
    return f.bind(jdbc.sql("SELECT DATE(c.converted_at) AS day, COUNT(*) AS n, SUM(c.revenue) AS revenue FROM journey_conversion c "
            + "JOIN journey_run r ON r.instance_id = c.instance_id WHERE " + f.where() + " GROUP BY DATE(c.converted_at) ORDER BY day"))
        .query((rs, n) -> new JourneyResults.Day(rs.getDate("day").toLocalDate(), rs.getLong("n"), money(rs.getBigDecimal("revenue"))))
        .list();
  }

  private List<JourneyResults.Message> byMessage(Filter f) {
    Map<String, long[]> counts = new LinkedHashMap<>();
    Map<String, BigDecimal> revenue = new LinkedHashMap<>();
    f.bind(jdbc.sql("SELECT c.last_touch_element, COUNT(*) AS n, SUM(c.revenue) AS revenue FROM journey_conversion c "
            + "JOIN journey_run r ON r.instance_id = c.instance_id WHERE " + f.where()
            + " AND c.last_touch_element IS NOT NULL GROUP BY c.last_touch_element"))
        .query(rs -> {
          counts.computeIfAbsent(rs.getString(1), k -> new long[2])[0] = rs.getLong("n");
          revenue.put(rs.getString(1), money(rs.getBigDecimal("revenue")));
        });
    f.bind(jdbc.sql("SELECT t.element_id, COUNT(*) AS n FROM journey_conversion_touch t "
            + "JOIN journey_run r ON r.instance_id = t.instance_id WHERE " + f.where() + " GROUP BY t.element_id"))
        .query(rs -> {
          counts.computeIfAbsent(rs.getString(1), k -> new long[2])[1] = rs.getLong("n");
        });
    return counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> new JourneyResults.Message(e.getKey(), e.getValue()[0], e.getValue()[1], revenue.getOrDefault(e.getKey(), money(null))))
        .toList();
  }

  private List<JourneyResults.EndEvent> byEndEvent(Filter f) {
    return f.bind(jdbc.sql("SELECT r.end_element_id, COUNT(*) AS reached, COUNT(c.instance_id) AS converted FROM journey_run r "
            + "LEFT JOIN journey_conversion c ON c.instance_id = r.instance_id WHERE " + f.where()
            + " AND r.end_element_id IS NOT NULL GROUP BY r.end_element_id ORDER BY r.end_element_id"))
        .query((rs, n) -> new JourneyResults.EndEvent(rs.getString(1), rs.getLong("reached"), rs.getLong("converted"),
            (double) rs.getLong("converted") / rs.getLong("reached")))
        .list();
  }

  /** The arms' raw counts, per experiment. */
  private record Arm(String variant, boolean control, long profiles, long conversions) {}

  /** One experiment of the journey over all its entries (every version, any time), as the results show it; empty before any assignment. */
  public Optional<JourneyResults.Experiment> experiment(String journeyKey, String experimentKey) {
    return experiments(filter(journeyKey, null, null, null), experimentKey).stream().findFirst();
  }

  private List<JourneyResults.Experiment> experiments(Filter f) {
    return experiments(f, null);
  }

  private List<JourneyResults.Experiment> experiments(Filter f, String experimentKey) {
    int threshold = holdout.threshold();
    String notHeldOut = threshold > 0 ? " AND " + Holdout.SQL_BUCKET.formatted("a.profile_id") + " >= :threshold" : "";
    Map<String, String> elements = new LinkedHashMap<>();
    Map<String, List<Arm>> arms = new LinkedHashMap<>();
    JdbcClient.StatementSpec spec = f.bind(jdbc.sql("SELECT a.experiment_key, MIN(a.element_id) AS element_id, a.variant, "
        + "MAX(a.control) AS control, COUNT(DISTINCT a.profile_id) AS profiles, COUNT(DISTINCT c.profile_id) AS conversions "
        + "FROM experiment_assignment a JOIN journey_run r ON r.instance_id = a.instance_id "
        + "LEFT JOIN journey_conversion c ON c.instance_id = a.instance_id WHERE " + f.where() + notHeldOut
        + (experimentKey == null ? "" : " AND a.experiment_key = :experimentKey")
        + " GROUP BY a.experiment_key, a.variant ORDER BY a.experiment_key, a.variant"));
    if (threshold > 0) {
      spec = spec.param("holdoutSalt", holdout.salt()).param("threshold", threshold);
    }
    if (experimentKey != null) {
      spec = spec.param("experimentKey", experimentKey);
    }
    spec.query(rs -> {
      String key = rs.getString("experiment_key");
      elements.merge(key, rs.getString("element_id"), (a, b) -> a.compareTo(b) <= 0 ? a : b);
      arms.computeIfAbsent(key, k -> new ArrayList<>()).add(new Arm(rs.getString("variant"), rs.getBoolean("control"),
          rs.getLong("profiles"), rs.getLong("conversions")));
    });
    List<JourneyResults.Experiment> out = new ArrayList<>();
    arms.forEach((key, list) -> out.add(experiment(key, elements.get(key), list)));
    return out;
  }

  private JourneyResults.Experiment experiment(String key, String elementId, List<Arm> arms) {
    int minimum = props.minimumSample();
    Arm control = arms.stream().filter(Arm::control).findFirst().orElse(null);
    List<JourneyResults.Variant> variants = new ArrayList<>();
    // treatments first, in name order, then the control
    for (Arm arm : arms.stream().sorted(Comparator.comparing(Arm::control).thenComparing(Arm::variant)).toList()) {
      Double rate = rate(arm.conversions(), arm.profiles());
      Double lift = null;
      Double p = null;
      if (control != null && arm != control) {
        Double controlRate = rate(control.conversions(), control.profiles());
        lift = rate == null || controlRate == null || controlRate == 0 ? null : (rate - controlRate) / controlRate;
        p = ArmStatistics.pValue(arm.profiles(), arm.conversions(), control.profiles(), control.conversions());
      }
      variants.add(new JourneyResults.Variant(arm.variant(), arm.control(), arm.profiles(), arm.conversions(), rate,
          ArmStatistics.ci95(arm.profiles(), arm.conversions()), lift, p));
    }
    return new JourneyResults.Experiment(key, elementId, minimum, variants, winner(variants, minimum), null);
  }

  /**
   * The arm with the highest rate, provided every arm has the minimum sample and that arm's difference to the control is
   * significant; the control itself wins when every other arm is significantly below it. Without a control, no winner.
   */
  static String winner(List<JourneyResults.Variant> variants, int minimum) {
    JourneyResults.Variant control = variants.stream().filter(JourneyResults.Variant::control).findFirst().orElse(null);
    if (control == null || variants.size() < 2 || variants.stream().anyMatch(v -> v.profiles() < minimum)) {
      return null;
    }
    JourneyResults.Variant best = variants.stream().max(Comparator.comparing(JourneyResults.Variant::rate)).orElseThrow();
    if (best != control) {
      return best.pValue() != null && best.pValue() < ArmStatistics.ALPHA && best.rate() > control.rate() ? best.variant() : null;
    }
    boolean allWorse = variants.stream().filter(v -> v != control)
        .allMatch(v -> v.pValue() != null && v.pValue() < ArmStatistics.ALPHA && v.rate() < control.rate());
    return allWorse ? control.variant() : null;
  }

  private JourneyResults.Holdout holdout(Filter f) {
    int threshold = holdout.threshold();
    if (threshold == 0) {
      return new JourneyResults.Holdout(holdout.percent(), 0, 0, null);
    }
    Map<String, Object> row = f.bind(jdbc.sql("SELECT COUNT(DISTINCT r.profile_id) AS profiles, COUNT(DISTINCT c.profile_id) AS conversions "
            + "FROM journey_run r LEFT JOIN journey_conversion c ON c.instance_id = r.instance_id WHERE " + f.where()
            + " AND " + Holdout.SQL_BUCKET.formatted("r.profile_id") + " < :threshold"))
        .param("holdoutSalt", holdout.salt()).param("threshold", threshold)
        .query().singleRow();
    long profiles = ((Number) row.get("profiles")).longValue();
    long conversions = ((Number) row.get("conversions")).longValue();
    return new JourneyResults.Holdout(holdout.percent(), profiles, conversions, rate(conversions, profiles));
  }

  private static Double rate(long conversions, long profiles) {
    return profiles == 0 ? null : (double) conversions / profiles;
  }

  private static BigDecimal money(Object value) {
    BigDecimal v = value == null ? BigDecimal.ZERO : value instanceof BigDecimal b ? b : new BigDecimal(value.toString());
    return v.setScale(2, java.math.RoundingMode.HALF_UP);
  }
}
