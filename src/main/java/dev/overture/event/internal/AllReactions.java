package dev.overture.event.internal;

import dev.overture.event.EventReactions;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Every {@link EventReactions} bean (journeys, conversions), in their {@code @Order}: an event is for the
 * correlator when any of them reacts to its type, and each reacts in the same transaction in turn.
 */
@Component
class AllReactions {

  private final List<EventReactions> all;

  AllReactions(List<EventReactions> all) {
    this.all = List.copyOf(all);
  }

  boolean anyReactsTo(String eventType) {
    for (EventReactions r : all) {
      if (r.anyReactsTo(eventType)) {
        return true;
      }
    }
    return false;
  }

  /** What the reactions read along when a batch is locked, as things are now. */
  List<EventReactions.ReadAlong> readAlong() {
    List<EventReactions.ReadAlong> out = new ArrayList<>();
    for (EventReactions r : all) {
      r.readAlong().ifPresent(out::add);
    }
    return out;
  }

  /** Each reaction in turn over the whole batch; per event, the sum of what they did. */
  List<EventReactions.Reaction> react(List<EventReactions.Occurred> events) {
    int[] correlated = new int[events.size()];
    int[] started = new int[events.size()];
    for (EventReactions r : all) {
      List<EventReactions.Reaction> out = r.react(events);
      for (int i = 0; i < out.size(); i++) {
        correlated[i] += out.get(i).correlated();
        started[i] += out.get(i).started();
      }
    }
    List<EventReactions.Reaction> sums = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      sums.add(new EventReactions.Reaction(correlated[i], started[i]));
    }
    return sums;
  }
}
