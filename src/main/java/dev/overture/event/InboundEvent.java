package dev.overture.event;

import java.util.Map;

/**
 * An event as a source sent it, before validation: from {@code POST /api/events}, the Segment
 * API or the AMQP queue. Either {@code profileId} or {@code identities} names the customer;
 * {@code traits} are merged into the profile's attributes; {@code aliasOf} names identities of a
 * profile to merge into this one (Segment {@code alias}).
 */
public record InboundEvent(
    String eventId, String type, String profileId, Map<String, String> identities, String occurredAt,
    Map<String, Object> properties, Map<String, Object> traits, Map<String, String> aliasOf, String source) {

  public static InboundEvent of(String eventId, String type, String profileId, Map<String, String> identities,
      String occurredAt, Map<String, Object> properties, String source) {
    return new InboundEvent(eventId, type, profileId, identities, occurredAt, properties, null, null, source);
  }
}
