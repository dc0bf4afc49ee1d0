package dev.overture.event.internal;

import dev.overture.event.InboundEvent;
import dev.overture.platform.ApiProblem;
import dev.overture.profile.Profiles;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code customer_event} table, which is also the durable correlation queue: a row is
 * correlated once, marked by {@code processed_at}; {@code claimed_until} is the lease of whoever
 * correlates it, so a crash leaves the row to the retry poller instead of losing it.
 */
@Component
public class EventStore {

  private static final int NO_SUCH_PROFILE = 1452;
  private static final Logger log = LoggerFactory.getLogger(EventStore.class);

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final Profiles profiles;
  private final EventsProperties props;
  private final AllReactions reactions;

  EventStore(JdbcClient jdbc, TransactionTemplate tx, Profiles profiles, EventsProperties props, AllReactions reactions) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.profiles = profiles;
    this.props = props;
    this.reactions = reactions;
  }

  /**
   * One event as stored: its row id (null for a duplicate), the profile it belongs to, and whether
   * it waits for correlation (false for a duplicate, and for a type that nothing reacts to).
   */
  public record Stored(Long rowId, String eventId, String profileId, boolean duplicate, boolean pending) {}

  /** A claimed row, for the correlator. */
  public record Row(long id, String eventId, String type, String profileId, Instant occurredAt, String properties) {}

  /**
   * Resolves each event's profile (creating it from identities, merging traits and aliases), then
   * inserts all events in one transaction. When this returns, the events are durable. An event of a
   * type that no deployed journey names is stored as processed: there is nothing to correlate.
   */
  public List<Stored> store(List<EventValidator.ValidEvent> batch) {
    return insert(batch, profilesOf(batch));
  }

  /**
   * The transaction of {@link #store}, for events whose profiles {@link #profilesOf} resolved (same order).
   * A merge or an erasure may remove one of those profiles before this commits; the foreign key on
   * {@code customer_event.profile_id} refuses the insert then (rather than leave the event on an id nobody
   * owns), and the events are stored again under the survivors.
   */
  List<Stored> insert(List<EventValidator.ValidEvent> batch, List<String> profileIds) {
    for (int attempt = 1; ; attempt++) {
      try {
        List<String> ids = profileIds;
        return tx.execute(s -> insertOnce(batch, ids));
      } catch (DataIntegrityViolationException e) {
        // inside a caller's transaction the failed statement has marked it for rollback: that caller decides
        if (!profileGone(e) || attempt == 3 || TransactionSynchronizationManager.isActualTransactionActive()) {
          throw e;
        }
        log.info("A profile of {} event(s) was merged or erased while they were stored; storing them under its survivor",
            batch.size());
        profileIds = survivors(batch, profileIds);
      }
    }
  }

  private List<Stored> insertOnce(List<EventValidator.ValidEvent> batch, List<String> profileIds) {
    Timestamp now = Timestamp.from(Instant.now());
    Timestamp lease = Timestamp.from(now.toInstant().plus(props.correlation().lease()));
    Map<String, Boolean> listened = new HashMap<>();
    // repeats of events a journey listens to show as a duplicate key on their insert (insertPending); only the
    // multi-row insert of the others needs to know the repeats beforehand
    boolean anyUnlistened = batch.stream().anyMatch(e -> !listened.computeIfAbsent(e.raw().type(), reactions::anyReactsTo));
    Map<String, String> earlier = anyUnlistened ? existingProfiles(batch) : Map.of();
    Set<String> seen = new HashSet<>();
    Stored[] out = new Stored[batch.size()];
    List<Integer> done = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      InboundEvent raw = batch.get(i).raw();
      if (earlier.containsKey(raw.eventId()) || !seen.add(raw.eventId())) {
        out[i] = new Stored(null, raw.eventId(), earlier.getOrDefault(raw.eventId(), profileIds.get(i)), true, false);
      } else if (listened.computeIfAbsent(raw.type(), reactions::anyReactsTo)) {
        // correlation needs the row id: one insert each
        out[i] = insertPending(batch.get(i), profileIds.get(i), now, lease);
      } else {
        done.add(i);
        out[i] = new Stored(null, raw.eventId(), profileIds.get(i), false, false);
      }
    }
    insertDone(batch, profileIds, done, now, out);
    return List.of(out);
  }

  private Stored insertPending(EventValidator.ValidEvent e, String profileId, Timestamp now, Timestamp lease) {
    InboundEvent raw = e.raw();
    // the row id comes back with the insert's answer (no SELECT LAST_INSERT_ID() round trip)
    GeneratedKeyHolder key = new GeneratedKeyHolder();
    try {
      jdbc.sql("""
              INSERT INTO customer_event (event_id, type, profile_id, occurred_at, received_at, properties, source, claimed_until)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
          .params(raw.eventId(), raw.type(), profileId, Timestamp.from(e.occurredAt()), now, e.propertiesJson(), source(raw), lease)
          .update(key);
    } catch (DuplicateKeyException repeat) {
      // a concurrent request stored it first; only the statement is undone, the transaction goes on
      return new Stored(null, raw.eventId(), existingProfile(raw.eventId()).orElse(profileId), true, false);
    }
    return new Stored(key.getKey().longValue(), raw.eventId(), profileId, false, true);
  }

  /**
   * Events no journey names, stored as processed with one multi-row insert. If a concurrent request stored
   * one of them in the meantime, the rows go one by one, and the repeats are marked in {@code out}.
   */
  private void insertDone(List<EventValidator.ValidEvent> batch, List<String> profileIds, List<Integer> indexes, Timestamp now,
      Stored[] out) {
    if (indexes.isEmpty()) {
      return;
    }
    try {
      insertDoneRows(batch, profileIds, indexes, now);
    } catch (DuplicateKeyException e) {
      for (int i : indexes) {
        try {
          insertDoneRows(batch, profileIds, List.of(i), now);
        } catch (DuplicateKeyException repeat) {
          String eventId = batch.get(i).raw().eventId();
          out[i] = new Stored(null, eventId, existingProfile(eventId).orElse(profileIds.get(i)), true, false);
        }
      }
    }
  }

  private void insertDoneRows(List<EventValidator.ValidEvent> batch, List<String> profileIds, List<Integer> indexes, Timestamp now) {
    List<Object> params = new ArrayList<>(indexes.size() * 8);
    for (int i : indexes) {
      EventValidator.ValidEvent e = batch.get(i);
      params.addAll(Arrays.asList(e.raw().eventId(), e.raw().type(), profileIds.get(i), Timestamp.from(e.occurredAt()), now,
          e.propertiesJson(), source(e.raw()), now));
    }
    jdbc.sql("INSERT INTO customer_event (event_id, type, profile_id, occurred_at, received_at, properties, source, processed_at) "
            + "VALUES " + String.join(", ", Collections.nCopies(indexes.size(), "(?, ?, ?, ?, ?, ?, ?, ?)")))
        .params(params).update();
  }

  /** True if the insert named a profile that no longer exists (MariaDB error 1452, the foreign key). */
  private static boolean profileGone(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getErrorCode() == NO_SUCH_PROFILE) {
        return true;
      }
    }
    return false;
  }

  /** The profile ids of the batch, each followed to the profile that holds it now; an erased one refuses the batch. */
  private List<String> survivors(List<EventValidator.ValidEvent> batch, List<String> profileIds) {
    Map<String, String> canonical = profiles.canonicalIds(profileIds);
    List<String> out = new ArrayList<>(profileIds.size());
    for (int i = 0; i < profileIds.size(); i++) {
      String survivor = canonical.get(profileIds.get(i));
      if (survivor == null) {
        throw ApiProblem.unprocessable("unknown-profile", "The profile of event " + batch.get(i).raw().eventId()
            + " was erased while the event was being stored");
      }
      out.add(survivor);
    }
    return out;
  }

  private static String source(InboundEvent raw) {
    return raw.source() == null ? "api" : raw.source();
  }

  /** Event id → profile of the events of this batch that are stored already (repeats), in one query. */
  private Map<String, String> existingProfiles(List<EventValidator.ValidEvent> batch) {
    Map<String, String> out = new HashMap<>();
    if (batch.isEmpty()) {
      return out;
    }
    jdbc.sql("SELECT event_id, profile_id FROM customer_event WHERE event_id IN (:ids)")
        .param("ids", batch.stream().map(e -> e.raw().eventId()).collect(Collectors.toSet()))
        .query(rs -> {
          out.put(rs.getString(1), rs.getString(2));
        });
    return out;
  }

  /**
   * The profile of each event. Events that name only a profile id (delivery outcomes, most server-side
   * calls) were resolved by the validator for the whole batch; the others are resolved one by one, since
   * they may create or merge profiles.
   */
  List<String> profilesOf(List<EventValidator.ValidEvent> batch) {
    List<String> out = new ArrayList<>(batch.size());
    for (EventValidator.ValidEvent e : batch) {
      out.add(namesOnlyAProfile(e.raw()) && e.namedProfileId() != null ? e.namedProfileId() : profileOf(e.raw()));
    }
    return out;
  }

  private static boolean namesOnlyAProfile(InboundEvent e) {
    boolean noIdentities = e.identities() == null || e.identities().values().stream().allMatch(v -> v == null || v.isBlank());
    return noIdentities && e.aliasOf() == null && (e.traits() == null || e.traits().isEmpty()) && e.profileId() != null;
  }

  private String profileOf(InboundEvent e) {
    String id;
    boolean hasIdentities = e.identities() != null && e.identities().values().stream().anyMatch(v -> v != null && !v.isBlank());
    if (hasIdentities) {
      boolean noTraits = e.traits() == null || e.traits().isEmpty();
      id = (noTraits ? profiles.ownerOfAll(e.identities()) : Optional.<String>empty())
          .orElseGet(() -> profiles.upsert(e.identities(), e.traits()).profile().id());
      if (e.profileId() != null && !e.profileId().isBlank() && profiles.exists(e.profileId())) {
        id = profiles.merge(e.profileId(), id, "event " + e.eventId() + " named profile " + e.profileId() + " and its identities");
      }
    } else {
      id = profiles.canonicalId(e.profileId()).orElseThrow();
    }
    if (e.aliasOf() != null) {
      // Segment alias: the profile known by the previous id folds into this one (or vice versa, by age)
      String previous = profiles.resolve(e.aliasOf()).orElseGet(() -> profiles.upsert(e.aliasOf(), null).profile().id());
      id = profiles.merge(previous, id, "alias event " + e.eventId());
    }
    return id;
  }

  private Optional<String> existingProfile(String eventId) {
    return jdbc.sql("SELECT profile_id FROM customer_event WHERE event_id = ?").param(eventId).query(String.class).optional();
  }

  /** Locks the row if it still waits for correlation; the caller's transaction holds the lock. */
  public Optional<Row> lockUnprocessed(long id) {
    return Optional.ofNullable(lockUnprocessed(List.of(id)).get(id));
  }

  /**
   * The rows among {@code rows} that must wait, each with the time the poller may take it again: a row
   * waits while an earlier row of its profile, not among {@code rows}, is still to be correlated and has
   * failed fewer than {@code holdAttempts} times. It waits until that row's retry is due (at least {@code
   * minimum} from now: a row that has not failed yet is on its way through another partition).
   */
  public Map<Long, Instant> heldBack(Collection<Row> rows, int holdAttempts, Duration minimum) {
    if (rows.isEmpty() || holdAttempts < 1) {
      return Map.of();
    }
    record Earlier(long firstId, Instant retryAt) {}
    Map<String, Earlier> earliest = new HashMap<>();
    jdbc.sql("""
            SELECT profile_id, MIN(id) AS first_id, MAX(CASE WHEN attempts > 0 THEN claimed_until END) AS retry_at
            FROM customer_event
            WHERE profile_id IN (:profiles) AND processed_at IS NULL AND attempts < :hold AND id NOT IN (:ids)
            GROUP BY profile_id""")
        .param("profiles", rows.stream().map(Row::profileId).collect(Collectors.toSet()))
        .param("hold", holdAttempts)
        .param("ids", rows.stream().map(Row::id).toList())
        .query(rs -> {
          Timestamp retryAt = rs.getTimestamp("retry_at");
          earliest.put(rs.getString("profile_id"), new Earlier(rs.getLong("first_id"), retryAt == null ? null : retryAt.toInstant()));
        });
    if (earliest.isEmpty()) {
      return Map.of();
    }
    Instant soonest = Instant.now().plus(minimum);
    Map<Long, Instant> held = new HashMap<>();
    for (Row row : rows) {
      Earlier e = earliest.get(row.profileId());
      if (e != null && e.firstId() < row.id()) {
        Instant after = e.retryAt() == null ? soonest : e.retryAt().plusMillis(1);
        held.put(row.id(), after.isAfter(soonest) ? after : soonest);
      }
    }
    return held;
  }

  /** The ids of the profile's rows before {@code rowId} that would hold it back ({@link #heldBack}), in order. */
  public List<Long> waitingBefore(String profileId, long rowId, int holdAttempts) {
    return jdbc.sql("""
            SELECT id FROM customer_event
            WHERE profile_id = ? AND processed_at IS NULL AND attempts < ? AND id < ? ORDER BY id""")
        .params(profileId, holdAttempts, rowId).query(Long.class).list();
  }

  /** Leaves the rows to the retry poller until the given times, without counting an attempt. */
  public void hold(Map<Long, Instant> until) {
    until.forEach((id, at) -> jdbc.sql("UPDATE customer_event SET claimed_until = ? WHERE id = ? AND processed_at IS NULL")
        .params(Timestamp.from(at), id).update());
  }

  /** {@link #lockUnprocessed(long)} for several rows in one query: row id → row, for those still waiting. */
  public Map<Long, Row> lockUnprocessed(List<Long> ids) {
    Map<Long, Row> out = new HashMap<>();
    jdbc.sql("SELECT id, event_id, type, profile_id, occurred_at, properties FROM customer_event WHERE id IN (:ids) AND processed_at IS NULL "
            + "ORDER BY id FOR UPDATE")
        .param("ids", ids)
        .query(rs -> {
          out.put(rs.getLong("id"), new Row(rs.getLong("id"), rs.getString("event_id"), rs.getString("type"),
              rs.getString("profile_id"), rs.getTimestamp("occurred_at").toInstant(), rs.getString("properties")));
        });
    return out;
  }

  /** {@link #markProcessed(long)} for several rows in one statement. */
  public void markProcessed(Collection<Long> ids) {
    if (!ids.isEmpty()) {
      jdbc.sql("UPDATE customer_event SET processed_at = :now, claimed_until = NULL, last_error = NULL WHERE id IN (:ids)")
          .param("now", Timestamp.from(Instant.now())).param("ids", ids).update();
    }
  }

  public void markProcessed(long id) {
    markProcessed(List.of(id));
  }

  /** Records a failed correlation; the retry poller tries again after the backoff. */
  public void markFailed(long id, String error, Duration backoff) {
    jdbc.sql("UPDATE customer_event SET attempts = attempts + 1, last_error = ?, claimed_until = ? WHERE id = ? AND processed_at IS NULL")
        .params(error == null ? null : error.length() > 1000 ? error.substring(0, 1000) : error,
            Timestamp.from(Instant.now().plus(backoff)), id)
        .update();
  }

  public int attempts(long id) {
    return jdbc.sql("SELECT attempts FROM customer_event WHERE id = ?").param(id).query(Integer.class).optional().orElse(0);
  }

  /** Claims up to {@code limit} rows whose correlation is due: never done, lease expired or backoff over. */
  public List<Stored> claimDue(int limit) {
    return tx.execute(s -> {
      Timestamp now = Timestamp.from(Instant.now());
      List<Stored> due = jdbc.sql("""
              SELECT id, event_id, profile_id FROM customer_event
              WHERE processed_at IS NULL AND (claimed_until IS NULL OR claimed_until < ?)
              ORDER BY processed_at, claimed_until LIMIT ? FOR UPDATE SKIP LOCKED""")
          .params(now, limit)
          .query((rs, n) -> new Stored(rs.getLong("id"), rs.getString("event_id"), rs.getString("profile_id"), false, true))
          .list();
      if (!due.isEmpty()) {
        jdbc.sql("UPDATE customer_event SET claimed_until = :until WHERE id IN (:ids)")
            .param("until", Timestamp.from(now.toInstant().plus(props.correlation().lease())))
            .param("ids", due.stream().map(Stored::rowId).toList())
            .update();
      }
      return due;
    });
  }
}
