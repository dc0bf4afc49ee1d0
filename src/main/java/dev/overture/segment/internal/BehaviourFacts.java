package dev.overture.segment.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the behaviour functions of a segment expression read about a profile. */
public interface BehaviourFacts {

  /**
   * The profile's events of a type since an instant (all when null), oldest first, each a FEEL
   * context {@code {eventId, type, occurredAt, properties}}.
   */
  List<Map<String, Object>> events(String profileId, String type, Instant since);

  /** Whether the profile's consent allows this channel and purpose. */
  boolean consented(String profileId, String channel, String purpose);

  /** A profile without any behaviour: for checking an expression at save time. */
  BehaviourFacts NONE = new BehaviourFacts() {
    @Override
    public List<Map<String, Object>> events(String profileId, String type, Instant since) {
      return List.of();
    }

    @Override
    public boolean consented(String profileId, String channel, String purpose) {
      if (dev.overture.consent.Channel.fromKey(channel).isEmpty()) {
        throw new IllegalArgumentException("unknown channel '" + channel + "'; use email, sms, push, webhook or audience");
      }
      if (dev.overture.consent.Purpose.fromKey(purpose).isEmpty()) {
        throw new IllegalArgumentException("unknown purpose '" + purpose + "'; use marketing or transactional");
      }
      return false;
    }
  };
}
