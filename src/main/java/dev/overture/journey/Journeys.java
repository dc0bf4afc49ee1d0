package dev.overture.journey;

import dev.overture.journey.internal.AudienceEntries;
import dev.overture.journey.internal.JourneyDefinitions;
import dev.overture.journey.internal.JourneyEntries;
import dev.overture.journey.internal.JourneyRunKeys;
import dev.overture.journey.internal.JourneyRuns;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.stereotype.Service;

/**
 * Journeys are deployed BPMN processes; entering one starts an instance whose business key is the
 * profile id. An {@code Idempotency-Key} makes a retried entry return the first entry and start
 * nothing; the journey's {@link ReentryRule} decides whether a profile may enter again. One profile's entries,
 * an audience's entries and a profile's runs each have a class of their own in {@code internal}.
 */
@Service
public class Journeys {

  /**
   * The variable that carries the profile id inside a journey whose business key no longer names it: set only
   * when a merge keeps an instance started under a merged-away id. Otherwise the business key is the profile id
   * and no variable repeats it (one row less per waiting journey).
   */
  public static final String PROFILE_ID = "profileId";

  /** The variable that marks a dry run's shadow instance (docs/journeys.md#dry-run): its Send steps send nothing. */
  public static final String DRY_RUN = "overtureDryRun";
  /** The variable naming the event that started the journey or that it last waited for. */
  public static final String EVENT_ID = "eventId";
  /** The delete reason of the instances an erasure ends; the journey log counts them as erased. */
  public static final String ERASED = "profile erased";

  private final JourneyDefinitions definitions;
  private final JourneyEntries entries;
  private final AudienceEntries audience;
  private final JourneyRuns runs;
  private final JourneyRunKeys runKeys;

  Journeys(JourneyDefinitions definitions, JourneyEntries entries, AudienceEntries audience, JourneyRuns runs,
      JourneyRunKeys runKeys) {
    this.definitions = definitions;
    this.runKeys = runKeys;
    this.entries = entries;
    this.audience = audience;
    this.runs = runs;
  }

  /** Whether a version of the journey is deployed (remembered per deployment state: no query on most calls). */
  public boolean exists(String journeyKey) {
    return definitions.latest(journeyKey).isPresent();
  }

  /** Whether a deployed journey (any version) waits for a message of this name; remembered like {@link #exists}. */
  public boolean anyWaitsFor(String messageName) {
    return definitions.anyListensTo(messageName);
  }

  /**
   * Whether the instance is a test profile's walk, which counts nowhere (docs/events.md, "Test mode"); known from the
   * instance's start on the node that started it, else read once.
   */
  public boolean isTestWalk(String instanceId, String processDefinitionId) {
    return runKeys.isTestWalk(instanceId, processDefinitionId);
  }

  /**
   * The journeys whose live version enters a segment's new members ({@code overture:entry-segment}), by segment key;
   * empty, and without a statement of its own, when no live journey does (asked at every profile change).
   */
  public Map<String, List<String>> liveSegmentEntries() {
    Map<String, List<String>> out = new java.util.TreeMap<>();
    definitions.liveSegmentEntries().forEach((segment, defs) ->
        out.put(segment, defs.stream().map(JourneyDefinitions.Definition::key).toList()));
    return out;
  }

  /** Throws {@link JourneyPaused} when the journey takes no new entries. */
  public void requireNotPaused(String journeyKey) {
    entries.requireNotPaused(journeyKey);
  }

  /**
   * Starts the journey for the profile in one transaction with the entry row. With an idempotency
   * key, a second call (even a concurrent one) returns the first entry; a key reused for another
   * profile or other variables is refused.
   */
  public Entered enter(String journeyKey, String profileId, Map<String, Object> variables, String idempotencyKey) {
    return entries.enter(journeyKey, profileId, variables, idempotencyKey, null, false);
  }

  /**
   * As {@link #enter(String, String, Map, String)}, through the message start event
   * {@code startMessage} (an event type); null picks the none start event, else the first message start.
   * Throws {@link ReentryRefused} when the journey's rule refuses.
   */
  public Entered enter(String journeyKey, String requestedProfileId, Map<String, Object> variables, String idempotencyKey,
      String startMessage) {
    return entries.enter(journeyKey, requestedProfileId, variables, idempotencyKey, startMessage, false);
  }

  /**
   * As {@link #enter(String, String, Map, String)} for a profile that must exist: throws {@link UnknownProfile}
   * when no profile has this id (nor had it before a merge). It tells that from the
   * statement that locks the profile anyway, so the REST entry asks no question of its own about the profile.
   */
  public Entered enterExisting(String journeyKey, String profileId, Map<String, Object> variables, String idempotencyKey) {
    return entries.enter(journeyKey, profileId, variables, idempotencyKey, null, true);
  }

  /**
   * Enters every journey whose message start event is named {@code eventType}, as far as each
   * journey's re-entry rule allows; the event id is the idempotency key, so a retried event starts
   * nothing twice. Runs in the caller's transaction. Returns how many instances were started.
   */
  public int enterOnEvent(String eventId, String eventType, String requestedProfileId, Map<String, Object> variables) {
    return entries.enterOnEvent(eventId, eventType, requestedProfileId, variables);
  }

  public Optional<JourneyEntry> entry(String entryId) {
    return entries.entry(entryId);
  }

  /**
   * Of these profiles, the ones this journey's {@code overture:reentry} rule refuses now, each with
   * the reason, decided for a whole chunk with one engine query and one entry query, as {@link #enter}
   * decides for one profile: {@code always} refuses nobody; by default and for {@code after:…} a
   * running instance refuses ({@code already-in-journey}); {@code never} and {@code after:…} also refuse
   * a profile whose last entry is too recent ({@code entered-before}). A paused journey refuses everyone
   * ({@code journey-paused}); a marketing journey under a journey cap refuses the profiles at it ({@code journey-cap}).
   */
  public Map<String, String> refusedEntries(String journeyKey, Collection<String> profileIds) {
    return audience.refused(journeyKey, profileIds);
  }

  /**
   * Enters every profile into the journey inside the caller's transaction: the instances and their
   * entry rows commit or roll back with the caller's other writes (an audience enrollment's chunk).
   * The entry rows are written with one multi-row insert; the chunk's test profiles are read with one query.
   */
  public List<JourneyEntry> enterAll(String journeyKey, List<String> profileIds, Map<String, Object> variables) {
    return audience.enterAll(journeyKey, profileIds, variables);
  }

  /** Running instances of the journey for the profile, including those keyed by its merged-away aliases. */
  public List<ProcessInstance> activeInstances(String journeyKey, String profileId) {
    return runs.activeInstances(journeyKey, profileId);
  }

  /** {@link #businessKeys(String)} for many profiles in one query: profile id → its business keys. */
  public Map<String, List<String>> businessKeys(Collection<String> profileIds) {
    return runs.businessKeys(profileIds);
  }

  /** The profile id and every id merged into it: the business keys its journeys may run under. */
  public List<String> businessKeys(String profileId) {
    return runs.businessKeys(profileId);
  }

  /**
   * Every journey instance of the profile from the journey log: those keyed by its id and by every id
   * merged into it (instances keep the business key they started with), oldest first, with the
   * variables of the running ones (an ended journey keeps none: journeys write no variable history).
   */
  public List<JourneyRun> ofProfile(String profileId) {
    return runs.ofProfile(profileId);
  }

  /** The journey_run rows under these business keys, oldest first (state ACTIVE or COMPLETED, as Camunda names them). */
  public List<JourneyRun> runsOf(Collection<String> businessKeys) {
    return runs.runsOf(businessKeys);
  }

  /**
   * Erasure: cancels the profile's running journeys (the journey log counts them as erased: {@link #ERASED}) and deletes
   * their journey_run rows and entry rows, under its id and every id merged into it. Journeys keep no
   * Camunda history to delete. Returns how many instances were removed.
   */
  public int erase(String profileId) {
    return runs.erase(profileId, ERASED);
  }
}
