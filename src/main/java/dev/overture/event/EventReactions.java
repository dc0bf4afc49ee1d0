package dev.overture.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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
   */
  record Occurred(String eventId, String type, String profileId, List<String> profileIds, Instant occurredAt,
      Map<String, Object> properties) {}

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
}
