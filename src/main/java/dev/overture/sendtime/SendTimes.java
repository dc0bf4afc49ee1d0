package dev.overture.sendtime;

import dev.overture.delivery.Deliveries;
import dev.overture.platform.NotFound;
import dev.overture.profile.Profile;
import dev.overture.profile.Profiles;
import dev.overture.profile.ProfilesMerged;
import dev.overture.sendtime.internal.EngagementModel;
import dev.overture.sendtime.internal.EngagementStore;
import dev.overture.sendtime.internal.PopulationModel;
import dev.overture.sendtime.internal.SendTimeProperties;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * When a profile reads its messages: the model learnt from its opens and clicks ({@link SendTime}), and the moment
 * inside a window that a "Wait for the best time" takes, clear of quiet hours, while the model is confident.
 */
@Service
public class SendTimes {

  private static final int BEST = 3;

  private final Profiles profiles;
  private final EngagementStore store;
  private final PopulationModel population;
  private final Deliveries deliveries;
  private final SendTimeProperties props;
  private final Clock clock;

  SendTimes(Profiles profiles, EngagementStore store, PopulationModel population, Deliveries deliveries,
      SendTimeProperties props, Clock clock) {
    this.profiles = profiles;
    this.store = store;
    this.population = population;
    this.deliveries = deliveries;
    this.props = props;
    this.clock = clock;
  }

  /** The profile's model on the channel (the profile named by its id or an id merged into it). */
  public SendTime of(String requestedId, String channel) {
    Profile profile = profiles.find(requestedId).orElseThrow(() -> new NotFound("profile", "No profile with id " + requestedId));
    ZoneId zone = profile.timeZone();
    EngagementStore.History history = store.history(profile.id(), channel);
    EngagementModel.Scores scores = scores(history, channel);
    Instant now = clock.instant();
    List<SendTime.Hour> best = IntStream.range(0, EngagementModel.HOURS).boxed()
        .sorted(Comparator.comparingDouble((Integer h) -> -scores.byHour()[h]).thenComparing(h -> h))
        .limit(BEST)
        .map(h -> new SendTime.Hour(h, DayOfWeek.of(h / 24 + 1), LocalTime.of(h % 24, 0).toString(), round(scores.byHour()[h]),
            next(h, now, zone)))
        .toList();
    return new SendTime(profile.id(), channel, zone.getId(), best, round(scores.confidence()),
        scores.confidence() >= props.minConfidence(),
        new SendTime.LearntFrom(history.opens(), history.clicks(), round(scores.effectiveEngagements()),
            round(scores.populationWeight()), EngagementModel.HALF_LIFE.toString()));
  }

  /**
   * The start of the profile's best local hour after now and within {@code window}, skipping hours that quiet hours
   * hold back on the channel; empty when the model is below its minimum confidence (no history, or no pattern in
   * it) or no hour of the window is open: the caller's fallback then decides.
   */
  public Optional<Instant> bestWithin(String profileId, String channel, Duration window) {
    Optional<Profile> profile = profiles.find(profileId);
    if (profile.isEmpty()) {
      return Optional.empty();
    }
    EngagementModel.Scores scores = scores(store.history(profile.get().id(), channel), channel);
    if (scores.confidence() < props.minConfidence()) {
      return Optional.empty();
    }
    Map<String, Object> attributes = profile.get().attributes() == null ? Map.of() : profile.get().attributes();
    return EngagementModel.bestStart(scores, clock.instant().atZone(profile.get().timeZone()), window,
        at -> deliveries.quietUntil(channel, attributes, at).isEmpty());
  }

  /** Forgets what the model learnt about the profile; the number of rows removed. */
  public int erase(String profileId) {
    return store.erase(profileId);
  }

  @EventListener
  void onMerge(ProfilesMerged merged) {
    store.merge(merged.mergedId(), merged.survivorId());
  }

  private EngagementModel.Scores scores(EngagementStore.History history, String channel) {
    return EngagementModel.score(history.weights(), population.of(channel), EngagementModel.scaleAt(clock.instant()),
        props.priorStrength());
  }

  private static Instant next(int hourOfWeek, Instant now, ZoneId zone) {
    // by the local calendar, so that a change to or from summer time keeps the local hour
    ZonedDateTime next = now.atZone(zone).truncatedTo(ChronoUnit.DAYS)
        .with(TemporalAdjusters.nextOrSame(DayOfWeek.of(hourOfWeek / 24 + 1))).withHour(hourOfWeek % 24);
    return (next.toInstant().isAfter(now) ? next : next.plusWeeks(1)).toInstant();
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
