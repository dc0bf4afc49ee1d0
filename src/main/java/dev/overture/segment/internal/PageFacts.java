package dev.overture.segment.internal;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.event.CustomerEvent;
import dev.overture.event.Events;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Behaviour facts for one page of profiles, loaded on first use with one query per event type or
 * consent (channel, purpose) for the whole page, never one per profile. Safe for the parallel
 * evaluation of a page.
 */
public final class PageFacts implements BehaviourFacts {

  private final List<String> profileIds;
  private final Events events;
  private final Consents consents;
  private final Map<String, Map<String, List<CustomerEvent>>> eventsByType = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> allowedByConsent = new ConcurrentHashMap<>();

  public PageFacts(List<String> profileIds, Events events, Consents consents) {
    this.profileIds = profileIds;
    this.events = events;
    this.consents = consents;
  }

  @Override
  public List<Map<String, Object>> events(String profileId, String type, Instant since) {
    List<CustomerEvent> all = eventsByType.computeIfAbsent(type, t -> events.ofProfiles(profileIds, t))
        .getOrDefault(profileId, List.of());
    return all.stream()
        .filter(e -> since == null || !e.occurredAt().isBefore(since))
        .map(PageFacts::asContext)
        .toList();
  }

  @Override
  public boolean consented(String profileId, String channel, String purpose) {
    Channel c = Channel.fromKey(channel).orElseThrow(() -> new IllegalArgumentException("unknown channel '" + channel + "'"));
    Purpose p = Purpose.fromKey(purpose).orElseThrow(() -> new IllegalArgumentException("unknown purpose '" + purpose + "'"));
    return allowedByConsent.computeIfAbsent(channel + "/" + purpose, k -> consents.allowing(profileIds, c, p))
        .contains(profileId);
  }

  private static Map<String, Object> asContext(CustomerEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("eventId", e.eventId());
    m.put("type", e.type());
    m.put("occurredAt", e.occurredAt().atZone(ZoneOffset.UTC));
    m.put("properties", e.properties());
    return m;
  }
}
