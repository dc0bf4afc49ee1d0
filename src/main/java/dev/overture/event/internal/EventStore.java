package dev.overture.event.internal;

import dev.overture.event.InboundEvent;
import dev.overture.platform.Unprocessable;
import dev.overture.profile.Profiles;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Stores events in the {@code customer_event} table: a batch in one transaction, repeats found by event id, each
 * row that something reacts to left for the {@link CorrelationQueue} with a lease, the others stored as done.
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
  private final EventProfiles eventProfiles;

  EventStore(JdbcClient jdbc, TransactionTemplate tx, Profiles profiles, EventsProperties props, AllReactions reactions,
      EventProfiles eventProfiles) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.profiles = profiles;
    this.props = props;
    this.reactions = reactions;
    this.eventProfiles = eventProfiles;
  }

  /**
   * One event as stored: its row id (null for a duplicate), the profile it belongs to, and whether
   * it waits for correlation (false for a duplicate, and for a type that nothing reacts to).
   */
  public record Stored(Long rowId, String eventId, String profileId, boolean duplicate, boolean pending) {}

  /**
   * Resolves each event's profile (creating it from identities, merging traits and aliases), then
   * inserts all events in one transaction. When this returns, the events are durable. An event of a
   * type that no deployed journey names is stored as processed: there is nothing to correlate.
   */
  public List<Stored> store(List<EventValidator.ValidEvent> batch) {
    return insert(batch, eventProfiles.of(batch));
  }

  /**
   * The transaction of {@link #store}, for events whose profiles {@link EventProfiles#of} resolved (same order).
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
        throw new Unprocessable("unknown-profile", "The profile of event " + batch.get(i).raw().eventId()
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

  private Optional<String> existingProfile(String eventId) {
    return jdbc.sql("SELECT profile_id FROM customer_event WHERE event_id = ?").param(eventId).query(String.class).optional();
  }
}
