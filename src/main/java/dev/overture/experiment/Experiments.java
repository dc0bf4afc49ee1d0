package dev.overture.experiment;

import dev.overture.experiment.internal.Buckets;
import dev.overture.experiment.internal.Results;
import dev.overture.experiment.internal.Utc;
import dev.overture.experiment.internal.WinnerDecisions;
import dev.overture.journey.JourneyGoals;
import dev.overture.platform.AfterCommit;
import dev.overture.journey.UnknownJourney;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Experiments in journeys: the Split's assignment of a profile to a variant (recorded per instance, in the
 * engine step's transaction), the journey's results, and erasure of a profile's assignments and conversions.
 */
@Service
public class Experiments {

  /** The control arm of a split that names none. */
  public static final String DEFAULT_CONTROL = "control";

  /**
   * Appended to the experiment key for the draw of the share kept in the control after a decision: a hash of its own,
   * so the kept profiles are a random share of all, not one arm's former profiles.
   */
  public static final String DECIDED = "#decided";

  private final JdbcClient jdbc;
  private final Results results;
  private final JourneyGoals goals;
  private final MeterRegistry meters;
  private final WinnerDecisions decisions;

  Experiments(JdbcClient jdbc, Results results, JourneyGoals goals, MeterRegistry meters, WinnerDecisions decisions) {
    this.jdbc = jdbc;
    this.meters = meters;
    this.results = results;
    this.goals = goals;
    this.decisions = decisions;
  }

  /** Where a split happens: the instance, its journey version and the task, and whether it is a test walk (counted nowhere). */
  public record SplitAt(String instanceId, String journeyKey, int version, String elementId, boolean test) {}

  /** The variant a profile got, and whether it is the control (which sends nothing). */
  public record Assignment(String experimentKey, String variant, boolean control) {}

  /**
   * Assigns the profile to one of the weighted variants ("A:45,B:45,control:10") by its bucket in the experiment
   * (blank key: journeyKey/elementId) and records it for the instance; the same profile always gets the same variant
   * of the same experiment. {@code controlVariant} names the control arm (blank: the variant named {@code control},
   * if there is one).
   */
  public Assignment assign(SplitAt at, String profileId, String experimentKey, String variants, String controlVariant) {
    return assign(at, profileId, experimentKey, variants, controlVariant, null);
  }

  /**
   * As {@link #assign(SplitAt, String, String, String, String)}, under an auto-winner rule (null: none). Once the
   * experiment has a decision, the profile gets the winner, unless its bucket of the decided experiment falls in the
   * share kept in the control; the decision is read from memory, so this costs the statements a plain split does.
   */
  public Assignment assign(SplitAt at, String profileId, String experimentKey, String variants, String controlVariant,
      AutoWinner autoWinner) {
    String key = experimentKey == null || experimentKey.isBlank() ? at.journeyKey() + "/" + at.elementId() : experimentKey;
    Map<String, Integer> weights = Buckets.weights(at.elementId(), variants);
    String controlArm = controlVariant == null || controlVariant.isBlank() ? DEFAULT_CONTROL : controlVariant;
    if (!controlArm.equals(DEFAULT_CONTROL) && !weights.containsKey(controlArm)) {
      throw new IllegalStateException("Task '" + at.elementId() + "': the control variant '" + controlVariant
          + "' is not among the variants '" + variants + "'");
    }
    JourneyResults.Decision decision = decisions.current(at.journeyKey(), key);
    String variant;
    if (decision != null && weights.containsKey(decision.winner())) {
      boolean kept = weights.containsKey(controlArm) && Buckets.bucket(key + DECIDED, profileId) < decision.controlShare() * 100;
      variant = kept ? controlArm : decision.winner();
    } else {
      if (autoWinner != null) {
        decisions.watch(at.journeyKey(), key, autoWinner);
      }
      variant = Buckets.variant(weights, Buckets.bucket(key, profileId));
    }
    boolean control = variant.equals(controlArm);
    // a loop back through the split keeps the instance's first assignment, which is the same variant anyway
    jdbc.sql("""
            INSERT IGNORE INTO experiment_assignment (instance_id, experiment_key, journey_key, version, element_id, profile_id,
              variant, control, assigned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
        .params(at.instanceId(), key, at.journeyKey(), at.version(), at.elementId(), profileId, variant, control,
            Utc.of(Instant.now()))
        .update();
    if (!at.test()) {
      AfterCommit.run(Counter.builder("overture.experiment.assignments")
          .description("Profiles a split put into an arm of an experiment, once the step committed")
          .tag("journey", at.journeyKey()).tag("experiment", key).tag("variant", variant).register(meters)::increment);
    }
    return new Assignment(key, variant, control);
  }

  /**
   * The journey's results over the instances that entered in [from, to) of one version (all when null).
   * @throws UnknownJourney when no such journey is deployed
   */
  public JourneyResults results(String journeyKey, Integer version, Instant from, Instant to) {
    if (!goals.isJourney(journeyKey)) {
      throw new UnknownJourney(journeyKey);
    }
    JourneyResults r = results.of(journeyKey, version, from, to);
    Map<String, JourneyResults.Decision> decided = decisions.of(journeyKey);
    if (decided.isEmpty()) {
      return r;
    }
    return r.withExperiments(r.experiments().stream().map(e -> e.withDecision(decided.get(e.experimentKey()))).toList());
  }

  /** Erasure: the assignments and conversions (with their touches) of the profile under any of these ids; returns how many rows. */
  public int erase(Collection<String> profileIds) {
    if (profileIds.isEmpty()) {
      return 0;
    }
    var ids = new HashSet<>(profileIds);
    int touches = jdbc.sql("DELETE t FROM journey_conversion_touch t JOIN journey_conversion c ON c.instance_id = t.instance_id "
        + "WHERE c.profile_id IN (:ids)").param("ids", ids).update();
    int conversions = jdbc.sql("DELETE FROM journey_conversion WHERE profile_id IN (:ids)").param("ids", ids).update();
    int assignments = jdbc.sql("DELETE FROM experiment_assignment WHERE profile_id IN (:ids)").param("ids", ids).update();
    return touches + conversions + assignments;
  }
}
