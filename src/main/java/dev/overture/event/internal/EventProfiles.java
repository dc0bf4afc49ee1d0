package dev.overture.event.internal;

import dev.overture.event.InboundEvent;
import dev.overture.profile.Profiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Which profile each incoming event belongs to: the profile it names, or the one its identities point to, created
 * or given the event's traits, and merged when the event ties two profiles together (its profile id and its
 * identities, or a Segment alias).
 */
@Component
class EventProfiles {

  private final Profiles profiles;

  EventProfiles(Profiles profiles) {
    this.profiles = profiles;
  }

  /**
   * The profile of each event. Events that name only a profile id (delivery outcomes, most server-side
   * calls) were resolved by the validator for the whole batch; the others are resolved one by one, since
   * they may create or merge profiles.
   */
  List<String> of(List<EventValidator.ValidEvent> batch) {
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
}
