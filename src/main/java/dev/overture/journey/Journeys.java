package dev.overture.journey;

import dev.overture.platform.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.NativeProcessInstanceQuery;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Journeys are deployed BPMN processes; entering one starts an instance whose business key is the
 * profile id. An {@code Idempotency-Key} makes a retried entry return the first entry and start nothing.
 */
@Service
public class Journeys {

  /** The variable that carries the profile id inside every journey. */
  public static final String PROFILE_ID = "profileId";
  public static final String ENTRY_ID = "entryId";

  private final RuntimeService runtime;
  private final RepositoryService repository;
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;

  Journeys(RuntimeService runtime, RepositoryService repository, JdbcClient jdbc, TransactionTemplate tx) {
    this.runtime = runtime;
    this.repository = repository;
    this.jdbc = jdbc;
    this.tx = tx;
  }

  /** The result of an entry request: the entry, and whether this call created it. */
  public record Entered(JourneyEntry entry, boolean replayed) {}

  public boolean exists(String journeyKey) {
    return repository.createProcessDefinitionQuery().processDefinitionKey(journeyKey).latestVersion().count() > 0;
  }

  /**
   * Starts the journey for the profile in one transaction with the entry row. With an idempotency
   * key, a second call (even a concurrent one) returns the first entry; a key reused for another
   * profile or other variables is refused.
   */
  public Entered enter(String journeyKey, String profileId, Map<String, Object> variables, String idempotencyKey) {
    if (!exists(journeyKey)) {
      throw ApiProblem.notFound("journey", "No journey with key '" + journeyKey + "' is deployed");
    }
    Map<String, Object> vars = variables == null ? Map.of() : variables;
    String fingerprint = idempotencyKey == null ? null : fingerprint(profileId, vars);
    try {
      return tx.execute(s -> {
        if (idempotencyKey != null) {
          Optional<Entered> earlier = replay(journeyKey, idempotencyKey, fingerprint);
          if (earlier.isPresent()) {
            return earlier.get();
          }
        }
        return new Entered(start(journeyKey, profileId, vars, idempotencyKey, fingerprint), false);
      });
    } catch (DuplicateKeyException raced) {
      // a concurrent request with the same key committed first: its entry is the answer
      return replay(journeyKey, idempotencyKey, fingerprint).orElseThrow(() -> raced);
    }
  }

  private JourneyEntry start(String journeyKey, String profileId, Map<String, Object> vars, String idempotencyKey,
      String fingerprint) {
    String entryId = UUID.randomUUID().toString();
    Instant now = Instant.now();
    // the entry row first: a concurrent duplicate blocks here on the unique key, before any process starts
    jdbc.sql("INSERT INTO journey_entry (id, journey_key, profile_id, idempotency_key, request_hash, process_instance_id, created_at) "
            + "VALUES (?, ?, ?, ?, ?, '', ?)")
        .params(entryId, journeyKey, profileId, idempotencyKey, fingerprint, Timestamp.from(now))
        .update();
    Map<String, Object> processVars = new HashMap<>(vars);
    processVars.put(PROFILE_ID, profileId);
    processVars.put(ENTRY_ID, entryId);
    ProcessInstance pi = runtime.startProcessInstanceByKey(journeyKey, profileId, processVars);
    jdbc.sql("UPDATE journey_entry SET process_instance_id = ? WHERE id = ?").params(pi.getId(), entryId).update();
    return new JourneyEntry(entryId, journeyKey, profileId, pi.getId(), now);
  }

  private Optional<Entered> replay(String journeyKey, String idempotencyKey, String fingerprint) {
    return jdbc.sql("SELECT * FROM journey_entry WHERE journey_key = ? AND idempotency_key = ?")
        .params(journeyKey, idempotencyKey)
        .query((rs, n) -> {
          if (!Objects.equals(rs.getString("request_hash"), fingerprint)) {
            throw ApiProblem.unprocessable("idempotency-key-reused",
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
   * Of these profiles, the ones this journey refuses to enter now, each with the reason, found with
   * one engine query for all of them. The rule today: one running instance per profile per journey
   * ({@code already-in-journey}). This is the hook for the journey's {@code overture:reentry} rule
   * ({@code always}, {@code never}, {@code after:P30D}), which should decide here for batches as
   * {@link #enter} does for single entries.
   */
  public Map<String, String> refusedEntries(String journeyKey, Collection<String> profileIds) {
    Map<String, String> refused = new LinkedHashMap<>();
    if (profileIds.isEmpty()) {
      return refused;
    }
    List<String> ids = List.copyOf(profileIds);
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < ids.size(); i++) {
      in.append(i == 0 ? "" : ", ").append("#{p").append(i).append('}');
    }
    NativeProcessInstanceQuery query = runtime.createNativeProcessInstanceQuery().sql(
        "SELECT RES.* FROM " + management.getTableName(ProcessInstance.class) + " RES JOIN "
            + management.getTableName(ProcessDefinition.class) + " DEF ON RES.PROC_DEF_ID_ = DEF.ID_ "
            + "WHERE RES.ID_ = RES.PROC_INST_ID_ AND DEF.KEY_ = #{journeyKey} AND RES.BUSINESS_KEY_ IN (" + in + ")")
        .parameter("journeyKey", journeyKey);
    for (int i = 0; i < ids.size(); i++) {
      query.parameter("p" + i, ids.get(i));
    }
    query.list().forEach(pi -> refused.put(pi.getBusinessKey(), "already-in-journey"));
    return refused;
  }

  /**
   * Enters every profile into the journey inside the caller's transaction: the instances and their
   * entry rows commit or roll back with the caller's other writes (an audience enrollment's chunk).
   * The entry rows are written with one multi-row insert.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public List<JourneyEntry> enterAll(String journeyKey, List<String> profileIds, Map<String, Object> variables) {
    List<JourneyEntry> entries = new ArrayList<>(profileIds.size());
    Instant now = Instant.now();
    for (String profileId : profileIds) {
      String entryId = UUID.randomUUID().toString();
      Map<String, Object> processVars = new HashMap<>(variables == null ? Map.of() : variables);
      processVars.put(PROFILE_ID, profileId);
      processVars.put(ENTRY_ID, entryId);
      ProcessInstance pi = runtime.startProcessInstanceByKey(journeyKey, profileId, processVars);
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

  private static String fingerprint(String profileId, Map<String, Object> vars) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(profileId.getBytes(StandardCharsets.UTF_8));
      sha.update(new java.util.TreeMap<>(vars).toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
