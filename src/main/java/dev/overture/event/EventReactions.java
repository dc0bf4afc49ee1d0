package dev.overture.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What reacts to a stored customer event: implemented by the journey module (waiting message events,
 * journeys that start on the event type) and the experiment module (goal events become conversions).
 * Owned here so that events never depend on them; every implementation is called, in {@code @Order}, in
 * the transaction that marks the events processed, so a reaction and its mark commit together.
 */
public interface EventReactions {

  /**
   * A stored event, as the reactions see it. {@code profileIds}: its profile's id first, then every id merged into
   * it, oldest merge first (the business keys its journeys may run under), read once for the correlation's batch.
   * {@code readAlong}: what the reactions' {@link #readAlong} columns read about it when its row was locked, by
   * name; only for an event that is the first of its profile in the batch and whose profile has no merged ids.
   */
  record Occurred(String eventId, String type, String profileId, List<String> profileIds, Instant occurredAt,
      Map<String, Object> properties, Map<String, String> readAlong) {

    /** An event with nothing read along: each reaction reads what it needs itself. */
    public Occurred(String eventId, String type, String profileId, List<String> profileIds, Instant occurredAt,
        Map<String, Object> properties) {
      this(eventId, type, profileId, profileIds, occurredAt, properties, Map.of());
    }
  }

  /**
   * What a reaction reads about each event in the statement that locks the batch, instead of in a query of its
   * own: {@code column} is a scalar subquery over the locked row {@code e} (its {@code type}, {@code profile_id}
   * and {@code occurred_at}) with {@code params} as its named parameters (named so that no other reaction's clash);
   * a non-null value reaches {@link #react} in {@link Occurred#readAlong} under {@code name}. The subquery may read
   * only by {@code e.profile_id}: the correlator hands the value over only where that is the event's one profile
   * id and no earlier event of the batch may have changed what it read.
   */
  record ReadAlong(String name, String column, Map<String, Object> params) {}

  /** What one event did: how many waiting executions it reached, how many journeys it started. */
  record Reaction(int correlated, int started) {}

  /**
   * False when nothing reacts to events of this type (of any deployed version), so such an event can be
   * stored as done without a correlation: delivery outcomes that nobody waits for, analytics-only calls.
   */
  boolean anyReactsTo(String eventType);

  /**
   * Reacts to the events in this order, in the caller's transaction; one reaction per event, same order.
   * A failure must fail the transaction, so that the events are correlated again from their rows.
   */
  List<Reaction> react(List<Occurred> events);

  /** What this reaction reads along when the batch is locked, as things are now; empty for nothing. */
  default Optional<ReadAlong> readAlong() {
    return Optional.empty();
  }
}
