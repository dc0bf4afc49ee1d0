package dev.overture.journey.internal;

import dev.overture.journey.JourneyEntry;
import dev.overture.journey.ReentryRule;
import dev.overture.profile.ProfileReadScope;
import dev.overture.profile.TestProfiles;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.NativeProcessInstanceQuery;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Many profiles entering a journey in the caller's transaction, a chunk at a time (see docs/segments.md). */
@Component
public class AudienceEntries {

  private final RuntimeService runtime;
  private final ManagementService management;
  private final JdbcClient jdbc;
  private final JourneyDefinitions definitions;
  private final JourneyStates states;
  private final TestProfiles testProfiles;
  private final JourneyRuns runs;
  private final JourneyCap cap;
  private final Clock clock;
  private final DryRuns dryRuns;

  AudienceEntries(RuntimeService runtime, ManagementService management, JdbcClient jdbc, JourneyDefinitions definitions,
      JourneyStates states, TestProfiles testProfiles, JourneyRuns runs, JourneyCap cap, Clock clock, DryRuns dryRuns) {
    this.runtime = runtime;
    this.management = management;
    this.jdbc = jdbc;
    this.definitions = definitions;
    this.states = states;
    this.testProfiles = testProfiles;
    this.runs = runs;
    this.cap = cap;
    this.clock = clock;
    this.dryRuns = dryRuns;
  }

  /**
   * Of these profiles, the ones this journey's {@code overture:reentry} rule refuses now, each with
   * the reason, decided for a whole chunk with one engine query and one entry query, as {@link JourneyEntries#enter}
   * decides for one profile: {@code always} refuses nobody; by default and for {@code after:…} a
   * running instance refuses ({@code already-in-journey}); {@code never} and {@code after:…} also refuse
   * a profile whose last entry is too recent ({@code entered-before}). A paused journey refuses everyone
   * ({@code journey-paused}). With a journey cap, a marketing journey also refuses the profiles at it ({@code journey-cap}),
   * decided under the chunk's profile locks, which the caller's transaction holds until the entries are written.
   */
  public Map<String, String> refused(String journeyKey, Collection<String> profileIds) {
    Map<String, String> refused = new LinkedHashMap<>();
    if (profileIds.isEmpty()) {
      return refused;
    }
    if (states.paused(journeyKey)) {
      profileIds.forEach(id -> refused.put(id, "journey-paused"));
      return refused;
    }
    Optional<JourneyDefinitions.Definition> definition = definitions.live(journeyKey);
    ReentryRule rule = definition.map(JourneyDefinitions.Definition::reentry).orElse(ReentryRule.DEFAULT);
    List<String> ids = List.copyOf(profileIds);
    if (definition.isPresent() && cap.applies(definition.get())) {
      testProfiles.lockAll(ids);
    }
    if (rule.kind() == ReentryRule.Kind.ALWAYS) {
      return capped(definition, ids, refused);
    }
    if (rule.kind() == ReentryRule.Kind.NEVER || rule.kind() == ReentryRule.Kind.AFTER) {
      Instant since = rule.kind() == ReentryRule.Kind.NEVER ? Instant.EPOCH : clock.instant().minus(rule.after());
      jdbc.sql("SELECT DISTINCT profile_id FROM journey_entry WHERE journey_key = :key AND created_at > :since AND profile_id IN (:ids)")
          .param("key", journeyKey).param("since", Timestamp.from(since)).param("ids", ids)
          .query(String.class).list()
          .forEach(id -> refused.put(id, "entered-before"));
    }
    // an instance of a profile merged into one of these runs under the merged-away id: it counts for the survivor
    Map<String, String> profileOfKey = new HashMap<>();
    runs.businessKeys(ids).forEach((id, keys) -> keys.forEach(key -> profileOfKey.put(key, id)));
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
    return capped(definition, ids, refused);
  }

  /** Adds the journey cap's refusals among the profiles not refused yet. */
  private Map<String, String> capped(Optional<JourneyDefinitions.Definition> definition, List<String> ids,
      Map<String, String> refused) {
    if (definition.isEmpty() || !cap.applies(definition.get())) {
      return refused;
    }
    List<String> open = ids.stream().filter(id -> !refused.containsKey(id)).toList();
    if (!open.isEmpty()) {
      refused.putAll(cap.refusedAmong(definition.get(), runs.businessKeys(open)));
    }
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
    // the live version once per chunk: the engine's start by key would take the latest, which may be a draft
    String definitionId = JourneyEntries.liveOrThrow(definitions, journeyKey).id();
    java.util.Set<String> tests = testProfiles.among(profileIds);
    // the chunk's first step that renders a message reads every member's profile at once
    ProfileReadScope.together(profileIds, () -> {
      for (String profileId : profileIds) {
        String entryId = UUID.randomUUID().toString();
        Map<String, Object> processVars = variables == null ? Map.of() : variables;
        ProcessInstance pi = TestWalks.start(tests.contains(profileId),
            () -> runtime.startProcessInstanceById(definitionId, profileId, processVars));
        entries.add(new JourneyEntry(entryId, journeyKey, profileId, pi.getId(), now));
        if (!tests.contains(profileId)) {
          dryRuns.shadow(journeyKey, profileId, processVars, null);
        }
      }
      return null;
    });
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
}
