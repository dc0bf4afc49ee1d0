package dev.overture.journey;

import dev.overture.journey.internal.EntryFingerprints;
import dev.overture.journey.internal.JourneyDefinitions;
import dev.overture.journey.internal.JourneyStates;
import dev.overture.journey.internal.TestWalks;
import dev.overture.platform.Unprocessable;
import dev.overture.profile.Profiles;
import dev.overture.profile.TestProfiles;
import dev.overture.profile.UnknownProfile;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.NativeProcessInstanceQuery;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Journeys are deployed BPMN processes; entering one starts an instance whose business key is the
 * profile id. An {@code Idempotency-Key} makes a retried entry return the first entry and start
 * nothing; the journey's {@link ReentryRule} decides whether a profile may enter again.
 */
@Service
public class Journeys {

  private static final Logger log = LoggerFactory.getLogger(Journeys.class);

  /**
   * The variable that carries the profile id inside a journey whose business key no longer names it: set only
   * when a merge keeps an instance started under a merged-away id. Otherwise the business key is the profile id
   * and no variable repeats it (one row less per waiting journey).
   */
  public static final String PROFILE_ID = "profileId";
  /** The variable naming the event that started the journey or that it last waited for. */
  public static final String EVENT_ID = "eventId";
  /** The delete reason of the instances an erasure ends; the journey log counts them as erased. */
  public static final String ERASED = "profile erased";

  private final RuntimeService runtime;
  private final RepositoryService repository;
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final JourneyDefinitions definitions;
  private final Profiles profiles;
  private final JourneyStates states;
  private final TestProfiles testProfiles;
  private final EntryFingerprints fingerprints;
  /** The time of entries and of re-entry decisions: {@code after:…} cooldowns are measured on it. */
  private final Clock clock;

  Journeys(RuntimeService runtime, RepositoryService repository, JdbcClient jdbc, TransactionTemplate tx,
      JourneyDefinitions definitions, Profiles profiles, JourneyStates states, TestProfiles testProfiles,
      EntryFingerprints fingerprints, Clock clock) {
    this.fingerprints = fingerprints;
    this.clock = clock;
    this.states = states;
    this.testProfiles = testProfiles;
    this.runtime = runtime;
    this.repository = repository;
    this.jdbc = jdbc;
    this.tx = tx;
    this.definitions = definitions;
    this.profiles = profiles;
  }

  /** The result of an entry request: the entry, and whether this call created it. */
  public record Entered(JourneyEntry entry, boolean replayed) {}

  /** Whether a version of the journey is deployed (remembered per deployment state: no query on most calls). */
  public boolean exists(String journeyKey) {
    return definitions.latest(journeyKey).isPresent();
  }

  /** Throws {@link JourneyPaused} when the journey takes no new entries. */
  public void requireNotPaused(String journeyKey) {
    if (states.paused(journeyKey)) {
      throw new JourneyPaused(journeyKey);
    }
  }

  /**
   * Starts the journey for the profile in one transaction with the entry row. With an idempotency
   * key, a second call (even a concurrent one) returns the first entry; a key reused for another
   * profile or other variables is refused.
   */
  public Entered enter(String journeyKey, String profileId, Map<String, Object> variables, String idempotencyKey) {
    return enter(journeyKey, profileId, variables, idempotencyKey, null);
  }

  /**
   * As {@link #enter(String, String, Map, String)}, through the message start event
   * {@code startMessage} (an event type); null picks the none start event, else the first message start.
   * Throws {@link ReentryRefused} when the journey's rule refuses.
   */
  public Entered enter(String journeyKey, String requestedProfileId, Map<String, Object> variables, String idempotencyKey,
      String startMessage) {
    return enter(journeyKey, requestedProfileId, variables, idempotencyKey, startMessage, false);
  }

  /**
   * As {@link #enter(String, String, Map, String)} for a profile that must exist: throws {@link UnknownProfile}
   * when no profile has this id (nor had it before a merge). It tells that from the
   * statement that locks the profile anyway, so the REST entry asks no question of its own about the profile.
   */
  public Entered enterExisting(String journeyKey, String profileId, Map<String, Object> variables, String idempotencyKey) {
    return enter(journeyKey, profileId, variables, idempotencyKey, null, true);
  }

  private Entered enter(String journeyKey, String requestedProfileId, Map<String, Object> variables, String idempotencyKey,
      String startMessage, boolean mustExist) {
    JourneyDefinitions.Definition definition = definitions.latest(journeyKey)
        .orElseThrow(() -> new UnknownJourney(journeyKey));
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
    List<String> keys = mayHaveAliases ? businessKeys(profileId) : List.of(profileId);
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

  /** Running instances of the journey for the profile, including those keyed by its merged-away aliases. */
  public List<ProcessInstance> activeInstances(String journeyKey, String profileId) {
    List<ProcessInstance> out = new ArrayList<>();
    for (String key : businessKeys(profileId)) {
      out.addAll(runtime.createProcessInstanceQuery().processDefinitionKey(journeyKey).processInstanceBusinessKey(key).list());
    }
    return out;
  }

  /** {@link #businessKeys(String)} for many profiles in one query: profile id → its business keys. */
  public Map<String, List<String>> businessKeys(Collection<String> profileIds) {
    Map<String, List<String>> aliases = profiles.aliasesOf(profileIds);
    Map<String, List<String>> out = new HashMap<>();
    for (String id : profileIds) {
      List<String> keys = new ArrayList<>();
      keys.add(id);
      keys.addAll(aliases.getOrDefault(id, List.of()));
      out.put(id, keys);
    }
    return out;
  }

  /** The profile id and every id merged into it: the business keys its journeys may run under. */
  public List<String> businessKeys(String profileId) {
    return businessKeys(List.of(profileId)).get(profileId);
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
    // by the definition already decided on: the engine's start by key looks the latest version up again, a query
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

  public Optional<JourneyEntry> entry(String entryId) {
    return jdbc.sql("SELECT * FROM journey_entry WHERE id = ?").param(entryId)
        .query((rs, n) -> new JourneyEntry(rs.getString("id"), rs.getString("journey_key"), rs.getString("profile_id"),
            rs.getString("process_instance_id"), rs.getTimestamp("created_at").toInstant()))
        .optional();
  }

  // ---- audience entries: many profiles in the caller's transaction (see docs/segments.md) ----

  @Autowired
  private ManagementService management;

  /**
   * Of these profiles, the ones this journey's {@code overture:reentry} rule refuses now, each with
   * the reason, decided for a whole chunk with one engine query and one entry query, as {@link #enter}
   * decides for one profile: {@code always} refuses nobody; by default and for {@code after:…} a
   * running instance refuses ({@code already-in-journey}); {@code never} and {@code after:…} also refuse
   * a profile whose last entry is too recent ({@code entered-before}). A paused journey refuses everyone
   * ({@code journey-paused}).
   */
  public Map<String, String> refusedEntries(String journeyKey, Collection<String> profileIds) {
    Map<String, String> refused = new LinkedHashMap<>();
    if (profileIds.isEmpty()) {
      return refused;
    }
    if (states.paused(journeyKey)) {
      profileIds.forEach(id -> refused.put(id, "journey-paused"));
      return refused;
    }
    ReentryRule rule = definitions.latest(journeyKey).map(JourneyDefinitions.Definition::reentry).orElse(ReentryRule.DEFAULT);
    if (rule.kind() == ReentryRule.Kind.ALWAYS) {
      return refused;
    }
    List<String> ids = List.copyOf(profileIds);
    if (rule.kind() == ReentryRule.Kind.NEVER || rule.kind() == ReentryRule.Kind.AFTER) {
      Instant since = rule.kind() == ReentryRule.Kind.NEVER ? Instant.EPOCH : clock.instant().minus(rule.after());
      jdbc.sql("SELECT DISTINCT profile_id FROM journey_entry WHERE journey_key = :key AND created_at > :since AND profile_id IN (:ids)")
          .param("key", journeyKey).param("since", Timestamp.from(since)).param("ids", ids)
          .query(String.class).list()
          .forEach(id -> refused.put(id, "entered-before"));
    }
    // an instance of a profile merged into one of these runs under the merged-away id: it counts for the survivor
    Map<String, String> profileOfKey = new HashMap<>();
    businessKeys(ids).forEach((id, keys) -> keys.forEach(key -> profileOfKey.put(key, id)));
    List<String> keys = List.copyOf(profileOfKey.keySet());
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < keys.size(); i++) {
      in.append(i == 0 ? "" : ", ").append("#{p").append(i).append('}');
    }
    NativeProcessInstanceQuery query = runtime.createNativeProcessInstanceQuery().sql(
        "SELECT RES.* FROM " + management.getTableName(ProcessInstance.class) + " RES JOIN "
            + management.getTableName(ProcessDefinition.class) + " DEF ON RES.PROC_DEF_ID_ = DEF.ID_ "
            + "WHERE RES.ID_ = RES.PROC_INST_ID_ AND DEF.KEY_ = #{journeyKey} AND RES.BUSINESS_KEY_ IN (" + in + ")")
        .parameter("journeyKey", journeyKey);
    for (int i = 0; i < keys.size(); i++) {
      query.parameter("p" + i, keys.get(i));
    }
    query.list().forEach(pi -> refused.put(profileOfKey.get(pi.getBusinessKey()), "already-in-journey"));
    return refused;
  }

  /**
   * Enters every profile into the journey inside the caller's transaction: the instances and their
   * entry rows commit or roll back with the caller's other writes (an audience enrollment's chunk).
   * The entry rows are written with one multi-row insert; the chunk's test profiles are read with one query.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public List<JourneyEntry> enterAll(String journeyKey, List<String> profileIds, Map<String, Object> variables) {
    List<JourneyEntry> entries = new ArrayList<>(profileIds.size());
    Instant now = clock.instant();
    // the latest version once per chunk: the engine's start by key would look it up again for every member
    String definitionId = definitions.latest(journeyKey)
        .orElseThrow(() -> new UnknownJourney(journeyKey)).id();
    java.util.Set<String> tests = testProfiles.among(profileIds);
    for (String profileId : profileIds) {
      String entryId = UUID.randomUUID().toString();
      Map<String, Object> processVars = variables == null ? Map.of() : variables;
      ProcessInstance pi = TestWalks.start(tests.contains(profileId),
          () -> runtime.startProcessInstanceById(definitionId, profileId, processVars));
      entries.add(new JourneyEntry(entryId, journeyKey, profileId, pi.getId(), now));
    }
    if (!entries.isEmpty()) {
      List<Object> params = new ArrayList<>(entries.size() * 5);
      for (JourneyEntry e : entries) {
        params.addAll(List.of(e.entryId(), journeyKey, e.profileId(), e.processInstanceId(), Timestamp.from(now)));
      }
      jdbc.sql("INSERT INTO journey_entry (id, journey_key, profile_id, process_instance_id, created_at) VALUES "
              + String.join(", ", java.util.Collections.nCopies(entries.size(), "(?, ?, ?, ?, ?)")))
          .params(params).update();
    }
    return entries;
  }

  /** One journey instance of a profile as the journey log knows it (for export); variables only while it runs. */
  public record JourneyRun(String processInstanceId, String journeyKey, int version, String state, Instant startedAt,
      Instant endedAt, String endReason, String endElementId, Map<String, Object> variables) {}

  /**
   * Every journey instance of the profile from the journey log: those keyed by its id and by every id
   * merged into it (instances keep the business key they started with), oldest first, with the
   * variables of the running ones (an ended journey keeps none: journeys write no variable history).
   */
  public List<JourneyRun> ofProfile(String profileId) {
    return runsOf(businessKeys(profileId)).stream()
        .map(r -> {
          Map<String, Object> vars = new java.util.TreeMap<>();
          if (r.endedAt() == null && runtime.createProcessInstanceQuery().processInstanceId(r.processInstanceId()).count() > 0) {
            vars.putAll(runtime.getVariables(r.processInstanceId()));
          }
          return new JourneyRun(r.processInstanceId(), r.journeyKey(), r.version(), r.state(), r.startedAt(), r.endedAt(),
              r.endReason(), r.endElementId(), vars);
        })
        .toList();
  }

  /** The journey_run rows under these business keys, oldest first (state ACTIVE or COMPLETED, as Camunda names them). */
  public List<JourneyRun> runsOf(Collection<String> businessKeys) {
    if (businessKeys.isEmpty()) {
      return List.of();
    }
    return jdbc.sql("SELECT * FROM journey_run WHERE profile_id IN (:ids) ORDER BY started_at, instance_id")
        .param("ids", List.copyOf(businessKeys))
        .query((rs, n) -> new JourneyRun(rs.getString("instance_id"), rs.getString("journey_key"), rs.getInt("version"),
            rs.getTimestamp("ended_at") == null ? "ACTIVE" : "COMPLETED", utc(rs.getObject("started_at", java.time.LocalDateTime.class)),
            utc(rs.getObject("ended_at", java.time.LocalDateTime.class)), rs.getString("end_reason"),
            rs.getString("end_element_id"), Map.of()))
        .list();
  }

  private static Instant utc(java.time.LocalDateTime at) {
    return at == null ? null : at.toInstant(java.time.ZoneOffset.UTC);
  }

  /**
   * Erasure: cancels the profile's running journeys (the journey log counts them as erased) and deletes
   * their journey_run rows and entry rows, under its id and every id merged into it. Journeys keep no
   * Camunda history to delete. Returns how many instances were removed.
   */
  public int erase(String profileId) {
    List<String> keys = businessKeys(profileId);
    List<String> running = new ArrayList<>();
    for (String key : keys) {
      runtime.createProcessInstanceQuery().processInstanceBusinessKey(key).list().forEach(pi -> running.add(pi.getId()));
    }
    if (!running.isEmpty()) {
      runtime.deleteProcessInstances(running, ERASED, true, true, false);
    }
    int removed = jdbc.sql("DELETE FROM journey_run WHERE profile_id IN (:ids)").param("ids", keys).update();
    jdbc.sql("DELETE FROM journey_entry WHERE profile_id IN (:ids)").param("ids", keys).update();
    return removed;
  }
}
