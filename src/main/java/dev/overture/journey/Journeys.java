package dev.overture.journey;

import dev.overture.platform.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
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
  private final HistoryService history;

  Journeys(RuntimeService runtime, RepositoryService repository, JdbcClient jdbc, TransactionTemplate tx,
      HistoryService history) {
    this.history = history;
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

  /** One journey instance of a profile as the engine's history knows it (for export). */
  public record JourneyRun(String processInstanceId, String journeyKey, String state, Instant startedAt, Instant endedAt,
      Map<String, Object> variables) {}

  /** Every journey instance of the profile (business key = profile id), with its variables. */
  public java.util.List<JourneyRun> ofProfile(String profileId) {
    return history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(profileId).orderByProcessInstanceStartTime().asc()
        .list().stream()
        .map(h -> {
          Map<String, Object> vars = new java.util.TreeMap<>();
          history.createHistoricVariableInstanceQuery().processInstanceId(h.getId()).disableBinaryFetching().list()
              .forEach(v -> vars.put(v.getName(), v.getValue()));
          return new JourneyRun(h.getId(), h.getProcessDefinitionKey(), h.getState(), h.getStartTime().toInstant(),
              h.getEndTime() == null ? null : h.getEndTime().toInstant(), vars);
        })
        .toList();
  }

  /**
   * Erasure: cancels the profile's running journeys, deletes their history (variables included) and
   * the entry rows. Public engine API only. Returns how many instances were removed.
   */
  public int erase(String profileId) {
    java.util.List<String> running = runtime.createProcessInstanceQuery().processInstanceBusinessKey(profileId).list()
        .stream().map(ProcessInstance::getId).toList();
    if (!running.isEmpty()) {
      runtime.deleteProcessInstances(running, "profile erased", true, true, false);
    }
    java.util.List<String> finished = history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(profileId).list()
        .stream().map(org.camunda.bpm.engine.history.HistoricProcessInstance::getId).toList();
    if (!finished.isEmpty()) {
      history.deleteHistoricProcessInstancesIfExists(finished);
    }
    jdbc.sql("DELETE FROM journey_entry WHERE profile_id = ?").param(profileId).update();
    return finished.size();
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
