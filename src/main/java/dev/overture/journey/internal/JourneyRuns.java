package dev.overture.journey.internal;

import dev.overture.journey.JourneyRun;
import dev.overture.profile.Profiles;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A profile's journey instances: the business keys they run under (its id and every id merged into it), the running
 * ones, the journey log's rows of all of them, and their erasure.
 */
@Component
public class JourneyRuns {

  private final RuntimeService runtime;
  private final JdbcClient jdbc;
  private final Profiles profiles;

  JourneyRuns(RuntimeService runtime, JdbcClient jdbc, Profiles profiles) {
    this.runtime = runtime;
    this.jdbc = jdbc;
    this.profiles = profiles;
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
   * Erasure: cancels the profile's running journeys with {@code reason} and deletes
   * their journey_run rows and entry rows, under its id and every id merged into it. Journeys keep no
   * Camunda history to delete. Returns how many instances were removed.
   */
  public int erase(String profileId, String reason) {
    List<String> keys = businessKeys(profileId);
    List<String> running = new ArrayList<>();
    for (String key : keys) {
      runtime.createProcessInstanceQuery().processInstanceBusinessKey(key).list().forEach(pi -> running.add(pi.getId()));
    }
    if (!running.isEmpty()) {
      runtime.deleteProcessInstances(running, reason, true, true, false);
    }
    int removed = jdbc.sql("DELETE FROM journey_run WHERE profile_id IN (:ids)").param("ids", keys).update();
    jdbc.sql("DELETE FROM journey_entry WHERE profile_id IN (:ids)").param("ids", keys).update();
    return removed;
  }
}
