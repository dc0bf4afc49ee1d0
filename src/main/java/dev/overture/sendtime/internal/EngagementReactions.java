package dev.overture.sendtime.internal;

import dev.overture.consent.Channel;
import dev.overture.event.EventReactions;
import dev.overture.profile.Profile;
import dev.overture.profile.Profiles;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Opens and clicks teach the send-time model: Overture's own tracking ({@code message.opened}, {@code message.clicked},
 * channel in the properties) and an outside ESP's ({@code email.opened}, {@code email.clicked}). They are added in
 * the transaction that marks the events processed, so an event that is correlated again after a failure is counted
 * once. Any other event type costs nothing here: no statement, no read.
 */
@Component
@Order(10)
class EngagementReactions implements EventReactions {

  static final Set<String> OPENS = Set.of("message.opened", "email.opened");
  static final Set<String> CLICKS = Set.of("message.clicked", "email.clicked");

  private final Profiles profiles;
  private final EngagementStore store;

  EngagementReactions(Profiles profiles, EngagementStore store) {
    this.profiles = profiles;
    this.store = store;
  }

  @Override
  public boolean anyReactsTo(String eventType) {
    return OPENS.contains(eventType) || CLICKS.contains(eventType);
  }

  @Override
  public List<Reaction> react(List<Occurred> events) {
    List<Occurred> engagements = events.stream().filter(e -> anyReactsTo(e.type())).toList();
    if (!engagements.isEmpty()) {
      Map<String, Profile> byId = profiles.findAll(engagements.stream().map(Occurred::profileId).distinct().toList());
      List<EngagementStore.Engagement> rows = new ArrayList<>(engagements.size());
      for (Occurred e : engagements) {
        Profile profile = byId.get(e.profileId());
        String channel = channel(e);
        if (profile != null && channel != null) {
          int hour = EngagementModel.hourOfWeek(e.occurredAt().atZone(profile.timeZone()));
          rows.add(new EngagementStore.Engagement(e.profileId(), channel, hour, CLICKS.contains(e.type()), e.occurredAt()));
        }
      }
      if (!rows.isEmpty()) {
        store.add(rows);
      }
    }
    return Collections.nCopies(events.size(), new Reaction(0, 0));
  }

  private static String channel(Occurred e) {
    if (e.type().startsWith("email.")) {
      return "email";
    }
    Object channel = e.properties() == null ? null : e.properties().get("channel");
    // Overture's own outcomes name one of its channels; anything else is not a channel the model knows
    return channel == null ? "email" : Channel.fromKey(channel.toString()).map(Channel::key).orElse(null);
  }
}
