package dev.overture.journey.internal;

import dev.overture.journey.Entered;
import dev.overture.journey.JourneyCapReached;
import dev.overture.journey.JourneyEntry;
import dev.overture.journey.JourneyNotLive;
import dev.overture.journey.JourneyPaused;
import dev.overture.journey.ReentryRefused;
import dev.overture.journey.ReentryRule;
import dev.overture.journey.UnknownJourney;
import dev.overture.platform.Unprocessable;
import dev.overture.profile.Profiles;
import dev.overture.profile.TestProfiles;
import dev.overture.profile.UnknownProfile;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One profile entering a journey, by request or by an event: the entry row beside the instance, the
 * {@code Idempotency-Key} replay, the journey's {@link ReentryRule} and the {@link JourneyCap journey cap} decided for
 * this profile under its lock.
 */
@Component
public class JourneyEntries {

  private static final Logger log = LoggerFactory.getLogger(JourneyEntries.class);

  private final RuntimeService runtime;
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final JourneyDefinitions definitions;
  private final Profiles profiles;
  private final JourneyStates states;
  private final TestProfiles testProfiles;
  private final EntryFingerprints fingerprints;
  private final JourneyRuns runs;
  private final JourneyCap cap;
  private final DryRuns dryRuns;
  /** The time of entries and of re-entry decisions: {@code after:…} cooldowns are measured on it. */
  private final Clock clock;

  JourneyEntries(RuntimeService runtime, JdbcClient jdbc, TransactionTemplate tx, JourneyDefinitions definitions,
      Profiles profiles, JourneyStates states, TestProfiles testProfiles, EntryFingerprints fingerprints, JourneyRuns runs,
      JourneyCap cap, DryRuns dryRuns, Clock clock) {
    this.dryRuns = dryRuns;
    this.runtime = runtime;
    this.jdbc = jdbc;
    this.tx = tx;
    this.definitions = definitions;
    this.profiles = profiles;
    this.states = states;
    this.testProfiles = testProfiles;
    this.fingerprints = fingerprints;
    this.runs = runs;
    this.cap = cap;
    this.clock = clock;
  }

  /** Throws {@link JourneyPaused} when the journey takes no new entries. */
  public void requireNotPaused(String journeyKey) {
    if (states.paused(journeyKey)) {
      throw new JourneyPaused(journeyKey);
    }
  }

  /**
   * Starts the journey for the profile in one transaction with the entry row, through the message start event
   * {@code startMessage} (null: the none start event, else the first message start); {@code mustExist}: refuse a
   * profile id that no profile has (nor had before a merge).
   */
  public Entered enter(String journeyKey, String requestedProfileId, Map<String, Object> variables, String idempotencyKey,
      String startMessage, boolean mustExist) {
    JourneyDefinitions.Definition definition = liveOrThrow(definitions, journeyKey);
    Map<String, Object> vars = variables == null ? Map.of() : variables;
    try {
      return tx.execute(s -> {
        // one decision per profile at a time; a concurrent duplicate waits here, then finds the entry. A profile row
        // under the asked id means the id is canonical (a merge deletes the merged-away row): one statement then
        String profileId = requestedProfileId;
        Optional<TestProfiles.EntryLock> lock = testProfiles.lockForEntry(profileId);
        if (lock.isEmpty()) {
          Optional<String> canonical = profiles.canonicalId(requestedProfileId);
          if (canonical.isEmpty() && mustExist) {
            throw new UnknownProfile(requestedProfileId);
          }
          profileId = canonical.orElse(requestedProfileId);
          lock = canonical.isPresent() ? testProfiles.lockForEntry(profileId) : Optional.empty();
        }
        boolean test = lock.map(TestProfiles.EntryLock::test).orElse(false);
        boolean aliases = lock.map(TestProfiles.EntryLock::hasAliases).orElse(false);
        EntryFingerprints.Fingerprint fingerprint = idempotencyKey == null ? null : fingerprints.of(profileId, vars);
        if (idempotencyKey != null) {
          Optional<Entered> earlier = replay(journeyKey, idempotencyKey, fingerprint);
          if (earlier.isPresent()) {
            return earlier.get();
          }
        }
        requireNotPaused(journeyKey);
        refusal(definition, profileId, aliases).ifPresent(reason -> {
          throw new ReentryRefused(reason);
        });
        String capped = profileId;
        cap.admit(definition, capped, () -> aliases ? runs.businessKeys(capped) : List.of(capped));
        return new Entered(start(definition, profileId, vars, idempotencyKey, fingerprint, startMessage, test), false);
      });
    } catch (DuplicateKeyException raced) {
      // a concurrent request with the same key committed first: its entry is the answer
      String profileId = profiles.canonicalId(requestedProfileId).orElse(requestedProfileId);
      return replay(journeyKey, idempotencyKey, fingerprints.of(profileId, vars)).orElseThrow(() -> raced);
    }
  }

  /**
   * Enters every journey whose message start event is named {@code eventType}, as far as each
   * journey's re-entry rule allows; the event id is the idempotency key, so a retried event starts
   * nothing twice. Runs in the caller's transaction. Returns how many instances were started.
   */
  public int enterOnEvent(String eventId, String eventType, String requestedProfileId, Map<String, Object> variables) {
    List<JourneyDefinitions.Definition> startable = definitions.startedBy(eventType);
    if (startable.isEmpty()) {
      return 0;
    }
    String profileId = profiles.canonicalId(requestedProfileId).orElse(requestedProfileId);
    int started = 0;
    for (JourneyDefinitions.Definition definition : startable) {
      String idempotencyKey = "event:" + eventId;
      Map<String, Object> vars = variables == null ? Map.of() : variables;
      EntryFingerprints.Fingerprint fingerprint = fingerprints.of(profileId, vars);
      if (replay(definition.key(), idempotencyKey, fingerprint).isPresent()) {
        continue;
      }
      if (states.paused(definition.key())) {
        log.info("Event {} does not enter journey '{}': the journey is paused", eventId, definition.key());
        continue;
      }
      boolean test = testProfiles.lockForUpdate(profileId).orElse(false);
      Optional<String> refused = refusal(definition, profileId, true);
      if (refused.isPresent()) {
        log.info("Event {} does not enter journey '{}': {}", eventId, definition.key(), refused.get());
        continue;
      }
      try {
        cap.admit(definition, profileId, () -> runs.businessKeys(profileId));
      } catch (JourneyCapReached capped) {
        log.info("Event {} does not enter journey '{}': {}", eventId, definition.key(), capped.getMessage());
        continue;
      }
      start(definition, profileId, vars, idempotencyKey, fingerprint, eventType, test);
      started++;
    }
    return started;
  }

  /**
   * Why the journey's re-entry rule refuses this profile now, or empty if it may enter; {@code mayHaveAliases}
   * false: no profile was merged into this one, so its own id is the only business key to look under.
   */
  private Optional<String> refusal(JourneyDefinitions.Definition definition, String profileId, boolean mayHaveAliases) {
    ReentryRule rule = definition.reentry();
    if (rule.kind() == ReentryRule.Kind.ALWAYS) {
      return Optional.empty();
    }
    String journeyKey = definition.key();
    List<String> keys = mayHaveAliases ? runs.businessKeys(profileId) : List.of(profileId);
    boolean running = rule.kind() != ReentryRule.Kind.NEVER && keys.stream().anyMatch(key -> runtime.createProcessInstanceQuery()
        .processDefinitionKey(journeyKey).processInstanceBusinessKey(key).count() > 0);
    if (running) {
      return Optional.of("Profile " + profileId + " is already in journey '" + journeyKey + "' (re-entry rule: " + rule + ")");
    }
    if (rule.kind() == ReentryRule.Kind.NEVER || rule.kind() == ReentryRule.Kind.AFTER) {
      Optional<Instant> last = jdbc.sql("SELECT created_at FROM journey_entry WHERE journey_key = ? AND profile_id = ? ORDER BY created_at DESC LIMIT 1")
          .params(journeyKey, profileId).query(Timestamp.class).optional().map(Timestamp::toInstant);
      if (last.isPresent() && (rule.kind() == ReentryRule.Kind.NEVER || last.get().plus(rule.after()).isAfter(clock.instant()))) {
        return Optional.of("Profile " + profileId + " entered journey '" + journeyKey + "' at " + last.get()
            + " and the re-entry rule is " + rule);
      }
    }
    return Optional.empty();
  }

  /** Starts one instance; {@code test}: the profile is a test profile, so the instance is a {@link TestWalks test walk}. */
  private JourneyEntry start(JourneyDefinitions.Definition definition, String profileId, Map<String, Object> vars,
      String idempotencyKey, EntryFingerprints.Fingerprint fingerprint, String startMessage, boolean test) {
    String journeyKey = definition.key();
    String entryId = UUID.randomUUID().toString();
    Instant now = clock.instant();
    Map<String, Object> processVars = new HashMap<>(vars);
    String message = startMessage != null ? startMessage
        : definition.hasNoneStart() || definition.startMessages().isEmpty() ? null : definition.startMessages().get(0);
    // by the live definition: the engine's start by key would take the latest version, which may be a draft
    ProcessInstance pi = TestWalks.start(test, () -> message == null
        ? runtime.startProcessInstanceById(definition.id(), profileId, processVars)
        : runtime.startProcessInstanceByMessageAndProcessDefinitionId(message, definition.id(), profileId, processVars));
    // the entry row after the instance, with its id (one insert, no update). A concurrent request with the same
    // idempotency key for another profile (the same profile waits on its lock) fails here on the unique key and
    // rolls back with its instance and its outbox row; the caller answers with the entry that won
    jdbc.sql("INSERT INTO journey_entry (id, journey_key, profile_id, idempotency_key, request_hash, process_instance_id, created_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .params(entryId, journeyKey, profileId, idempotencyKey, fingerprint == null ? null : fingerprint.value(), pi.getId(),
            Timestamp.from(now))
        .update();
    if (!test) {
      dryRuns.shadow(journeyKey, profileId, vars, message);
    }
    return new JourneyEntry(entryId, journeyKey, profileId, pi.getId(), now);
  }

  private Optional<Entered> replay(String journeyKey, String idempotencyKey, EntryFingerprints.Fingerprint fingerprint) {
    return jdbc.sql("SELECT * FROM journey_entry WHERE journey_key = ? AND idempotency_key = ?")
        .params(journeyKey, idempotencyKey)
        .query((rs, n) -> {
          if (fingerprint == null || !fingerprint.matches(rs.getString("request_hash"))) {
            throw new Unprocessable("idempotency-key-reused",
                "Idempotency-Key '" + idempotencyKey + "' was already used for a different request");
          }
          return new Entered(new JourneyEntry(rs.getString("id"), journeyKey, rs.getString("profile_id"),
              rs.getString("process_instance_id"), rs.getTimestamp("created_at").toInstant()), true);
        })
        .optional();
  }

  /** The journey's live version; {@link UnknownJourney} when none is deployed, {@link JourneyNotLive} when none is live. */
  static JourneyDefinitions.Definition liveOrThrow(JourneyDefinitions definitions, String journeyKey) {
    return definitions.live(journeyKey).orElseThrow(() -> definitions.latest(journeyKey).isPresent()
        ? new JourneyNotLive(journeyKey) : new UnknownJourney(journeyKey));
  }

  /** The entry with this id, of any journey. */
  public Optional<JourneyEntry> entry(String entryId) {
    return jdbc.sql("SELECT * FROM journey_entry WHERE id = ?").param(entryId)
        .query((rs, n) -> new JourneyEntry(rs.getString("id"), rs.getString("journey_key"), rs.getString("profile_id"),
            rs.getString("process_instance_id"), rs.getTimestamp("created_at").toInstant()))
        .optional();
  }
}
