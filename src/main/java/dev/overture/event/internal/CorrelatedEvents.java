package dev.overture.event.internal;

import dev.overture.event.CustomerEvent;
import dev.overture.event.EventReactions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The events the current thread's correlation transaction reacts to. A step that runs inside that
 * transaction (a Send step rendering the event its message speaks about) takes the event from here
 * instead of reading back the row the correlator has just locked and parsed.
 */
public final class CorrelatedEvents {

  private static final ThreadLocal<Map<String, CustomerEvent>> CURRENT = new ThreadLocal<>();

  private CorrelatedEvents() {}

  /** The event with this id if the running correlation is reacting to it. */
  public static Optional<CustomerEvent> find(String eventId) {
    Map<String, CustomerEvent> current = CURRENT.get();
    return current == null ? Optional.empty() : Optional.ofNullable(current.get(eventId));
  }

  /** Runs the reactions with these events visible to {@link #find}, on this thread only, until they return. */
  static <T> T during(List<EventReactions.Occurred> events, java.util.function.Supplier<T> reactions) {
    Map<String, CustomerEvent> byId = new HashMap<>();
    for (EventReactions.Occurred e : events) {
      byId.put(e.eventId(), new CustomerEvent(e.eventId(), e.type(), e.profileId(), e.occurredAt(), e.properties()));
    }
    CURRENT.set(byId);
    try {
      return reactions.get();
    } finally {
      CURRENT.remove();
    }
  }
}
