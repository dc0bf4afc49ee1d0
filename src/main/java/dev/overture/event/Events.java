package dev.overture.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.event.internal.CorrelatedEvents;
import dev.overture.event.internal.CorrelationWorkers;
import dev.overture.event.internal.EventCorrelator;
import dev.overture.event.internal.EventGateway;
import dev.overture.event.internal.EventStore;
import dev.overture.event.internal.EventValidator;
import dev.overture.event.internal.ReservedAttributeScreen;
import dev.overture.platform.DomainException;
import dev.overture.profile.Profiles;
import dev.overture.profile.ProfilesMerged;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.lang.Nullable;
import org.springframework.messaging.MessagingException;
import org.springframework.stereotype.Service;

/**
 * Customer events: every source feeds the {@code eventIngestion} flow, which stores each event
 * once per {@code eventId} and then correlates it to the journeys of its profile (waiting message
 * events, and journeys that start on that event type). An event that matches nothing is stored.
 */
@Service
public class Events {

  private final JdbcClient jdbc;
  private final EventGateway gateway;
  private final EventCorrelator correlator;
  private final ObjectMapper json;
  private final EventStore store;
  private final CorrelationWorkers workers;
  private final Profiles profiles;
  private final ReservedAttributeScreen reserved;

  Events(JdbcClient jdbc, @Lazy EventGateway gateway, EventCorrelator correlator, ObjectMapper json, EventStore store,
      CorrelationWorkers workers, Profiles profiles, ReservedAttributeScreen reserved) {
    this.jdbc = jdbc;
    this.json = json;
    this.gateway = gateway;
    this.correlator = correlator;
    this.store = store;
    this.workers = workers;
    this.profiles = profiles;
    this.reserved = reserved;
  }

  /** What became of an ingested event: which profile it went to, and whether it was a repeat. */
  public record Ingested(String eventId, String profileId, boolean duplicate, @Nullable Integer correlated) {}

  /**
   * Accepts a batch from any source: reserved attributes screened out (an outside source may not set them),
   * validated as a whole (a bad event refuses all with a {@link DomainException}), stored durably, correlated
   * asynchronously right after.
   */
  public List<Ingested> accept(List<InboundEvent> batch) {
    try {
      return gateway.ingest(reserved.screen(batch)).stream()
          .map(s -> new Ingested(s.eventId(), s.profileId(), s.duplicate(), null))
          .toList();
    } catch (MessagingException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof DomainException problem) {
          throw problem;
        }
      }
      throw e;
    }
  }

  /**
   * Stores the event and correlates it before returning, for callers inside Overture that need
   * the reaction now (tests, delivery outcomes). Same flow, same exactly-once correlation.
   */
  public Ingested ingest(CustomerEvent event) {
    EventStore.Stored stored = gateway.ingest(List.of(inbound(event))).get(0);
    if (!stored.pending()) {
      return new Ingested(event.eventId(), stored.profileId(), stored.duplicate(), 0);
    }
    int correlated = correlator.correlateNow(stored).map(EventReactions.Reaction::correlated).orElse(0);
    return new Ingested(event.eventId(), stored.profileId(), false, correlated);
  }

  /**
   * {@link #publish} for many events of Overture's own making (delivery outcomes), in one batch and in
   * the caller's transaction. They skip the checks that protect against outside input (Overture builds
   * them from its own rows): stored like any event, correlated asynchronously when a journey names the
   * type. Profiles merged away in the meantime are followed to their survivor.
   */
  public void publishAll(List<CustomerEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    Map<String, String> canonical = profiles.canonicalIds(events.stream().map(CustomerEvent::profileId).toList());
    List<EventValidator.ValidEvent> valid = new ArrayList<>(events.size());
    for (CustomerEvent e : events) {
      if (!canonical.containsKey(e.profileId())) {
        // erased since: nothing to tell anyone about
        continue;
      }
      valid.add(new EventValidator.ValidEvent(inbound(e), e.occurredAt() == null ? Instant.now() : e.occurredAt(),
          write(e.properties()), canonical.get(e.profileId())));
    }
    if (!valid.isEmpty()) {
      store.store(valid).stream().filter(EventStore.Stored::pending).forEach(workers::submit);
    }
  }

  private String write(Map<String, Object> properties) {
    try {
      return json.writeValueAsString(properties == null ? Map.of() : properties);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event properties cannot be written as JSON", e);
    }
  }

  private static InboundEvent inbound(CustomerEvent event) {
    return InboundEvent.of(event.eventId(), event.type(), event.profileId(), null,
        event.occurredAt() == null ? null : event.occurredAt().toString(), event.properties(), "internal");
  }

  /**
   * Marketing to a customer whose service ticket is open only makes things worse: true while the
   * profile's newest ticket event is {@code ticket.opened} rather than {@code ticket.resolved}.
   */
  public boolean marketingPaused(String profileId) {
    return jdbc.sql("""
            SELECT type FROM customer_event WHERE profile_id = ? AND type IN ('ticket.opened', 'ticket.resolved')
            ORDER BY occurred_at DESC, id DESC LIMIT 1""")
        .param(profileId).query(String.class).optional().map("ticket.opened"::equals).orElse(false);
  }

  /** {@link #marketingPaused} for many profiles in one query: the ones whose newest ticket event is {@code ticket.opened}. */
  public Set<String> marketingPausedAmong(Collection<String> profileIds) {
    Set<String> paused = new HashSet<>();
    if (profileIds.isEmpty()) {
      return paused;
    }
    Map<String, String> newest = new HashMap<>();
    jdbc.sql("""
            SELECT profile_id, type FROM customer_event WHERE profile_id IN (:ids) AND type IN ('ticket.opened', 'ticket.resolved')
            ORDER BY occurred_at, id""")
        .param("ids", new HashSet<>(profileIds))
        .query(rs -> {
          newest.put(rs.getString(1), rs.getString(2));
        });
    newest.forEach((profile, type) -> {
      if ("ticket.opened".equals(type)) {
        paused.add(profile);
      }
    });
    return paused;
  }

  /** Whether an event with this id has been stored. */
  public boolean exists(String eventId) {
    return jdbc.sql("SELECT COUNT(*) FROM customer_event WHERE event_id = ?").param(eventId).query(Integer.class).single() > 0;
  }

  /** One stored event by its id: what a message about it is rendered from. */
  public java.util.Optional<CustomerEvent> find(String eventId) {
    java.util.Optional<CustomerEvent> correlating = CorrelatedEvents.find(eventId);
    if (correlating.isPresent()) {
      return correlating;
    }
    return jdbc.sql("SELECT event_id, type, profile_id, occurred_at, properties FROM customer_event WHERE event_id = ?")
        .param(eventId)
        .query((rs, n) -> new CustomerEvent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
            read(rs.getString(5))))
        .optional();
  }

  /** The stored events of a profile, newest first, as (eventId, type). */
  public List<Map<String, Object>> recentOf(String profileId, int limit) {
    return jdbc.sql("SELECT event_id, type, occurred_at, processed_at FROM customer_event WHERE profile_id = ? ORDER BY id DESC LIMIT ?")
        .params(profileId, limit).query().listOfRows();
  }

  /** Moves a merged-away profile's events to the survivor. */
  public int reassign(String fromProfileId, String toProfileId) {
    return jdbc.sql("UPDATE customer_event SET profile_id = ? WHERE profile_id = ?").params(toProfileId, fromProfileId).update();
  }

  @EventListener
  void onMerge(ProfilesMerged merged) {
    reassign(merged.mergedId(), merged.survivorId());
  }

  /**
   * The events of one type of many profiles, oldest first per profile, in one query: what segment
   * expressions such as {@code count(events("purchase.completed"))} read.
   */
  public Map<String, List<CustomerEvent>> ofProfiles(Collection<String> profileIds, String type) {
    Map<String, List<CustomerEvent>> out = new HashMap<>();
    if (profileIds.isEmpty()) {
      return out;
    }
    jdbc.sql("SELECT event_id, type, profile_id, occurred_at, properties FROM customer_event WHERE type = ? AND profile_id IN ("
            + "?, ".repeat(profileIds.size() - 1) + "?) ORDER BY profile_id, occurred_at, id")
        .param(type).params(List.copyOf(profileIds))
        .query(rs -> {
          out.computeIfAbsent(rs.getString(3), k -> new ArrayList<>()).add(new CustomerEvent(rs.getString(1), rs.getString(2),
              rs.getString(3), rs.getTimestamp(4).toInstant(), read(rs.getString(5))));
        });
    return out;
  }

  /** Every stored event of the profile, oldest first (for export). */
  public java.util.List<CustomerEvent> ofProfile(String profileId) {
    return jdbc.sql("SELECT * FROM customer_event WHERE profile_id = ? ORDER BY occurred_at, id")
        .param(profileId)
        .query((rs, n) -> new CustomerEvent(rs.getString("event_id"), rs.getString("type"), profileId,
            rs.getTimestamp("occurred_at").toInstant(), read(rs.getString("properties"))))
        .list();
  }

  /** Erasure: deletes the profile's events (their properties may hold personal data); returns how many. */
  public int erase(String profileId) {
    return jdbc.sql("DELETE FROM customer_event WHERE profile_id = ?").param(profileId).update();
  }

  private Map<String, Object> read(String properties) {
    try {
      return json.readValue(properties, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("event properties are not JSON", e);
    }
  }

}
