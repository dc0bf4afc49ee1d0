package dev.overture.journey;

import dev.overture.journey.internal.GoalConditions;
import dev.overture.journey.internal.JourneyDefinitions;
import dev.overture.journey.internal.JourneyDefinitions.Definition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * The goals journeys declare on their process ({@code overture:goal}, {@code overture:goal-condition},
 * {@code overture:goal-window}), per deployed version: what the conversion analytics count.
 */
@Service
public class JourneyGoals {

  private final JourneyDefinitions definitions;

  JourneyGoals(JourneyDefinitions definitions) {
    this.definitions = definitions;
  }

  /** One version's goal: a goal event of {@code eventType} that meets {@code condition} within {@code window} of entry. */
  public record Goal(String journeyKey, int version, String eventType, String condition, Duration window) {

    /** Whether an event with these properties meets the condition (always, when there is none). */
    public boolean metBy(Map<String, Object> properties) {
      return GoalConditions.met(condition, properties);
    }
  }

  /** Whether some deployed version of some journey has a goal of this event type (cheap: read once per deployment change). */
  public boolean anyGoalIs(String eventType) {
    return !definitions.withGoal(eventType).isEmpty();
  }

  /** Every deployed journey version's goal. */
  public List<Goal> all() {
    return definitions.withGoal(null).stream().map(JourneyGoals::goal).toList();
  }

  /** Every deployed journey version whose goal is this event type. */
  public List<Goal> ofEventType(String eventType) {
    return definitions.withGoal(eventType).stream().map(JourneyGoals::goal).toList();
  }

  /**
   * The goal of one version of a journey (when {@code version} is null the live one, or the latest while none is live);
   * empty when it declares none.
   */
  public Optional<Goal> of(String journeyKey, Integer version) {
    Optional<Definition> d = version == null ? definitions.live(journeyKey).or(() -> definitions.latest(journeyKey))
        : definitions.versions(journeyKey).stream().filter(v -> v.version() == version).findFirst();
    return d.filter(v -> v.goal() != null && !v.approval()).map(JourneyGoals::goal);
  }

  /** Whether a customer journey (not an approval process) of this key is deployed. */
  public boolean isJourney(String journeyKey) {
    return definitions.latest(journeyKey).filter(d -> !d.approval()).isPresent();
  }

  /** A window as modelers write it: P7D rather than Duration's PT168H; other durations as Duration writes them. */
  public static String iso(Duration window) {
    return window.toSeconds() % 86_400 == 0 && window.getNano() == 0 ? "P" + window.toDays() + "D" : window.toString();
  }

  private static Goal goal(Definition d) {
    return new Goal(d.key(), d.version(), d.goal(), d.goalCondition(), d.goalWindow());
  }
}
