package dev.overture.delivery;

import dev.overture.profile.Profile;
import java.util.HashMap;
import java.util.Map;

/**
 * What a message is rendered from, taken when the journey's Send step runs and stored with the outbox
 * row: the profile's attributes (with {@code profileId} and {@code email}), the properties of the event
 * that started the journey or that it last waited for, and the journey variables the step names. A
 * later change of the profile or a newer event does not change a message already decided.
 */
public record MessageContext(Map<String, Object> profile, Map<String, Object> event, Map<String, Object> journey) {

  /** The attribute that picks a creative's locale variant and the format of money and dates. */
  public static final String LOCALE = "locale";
  /** The attribute that dates are shown in (IANA id or offset), as quiet hours read it. */
  public static final String TIMEZONE = "timezone";

  public MessageContext {
    profile = profile == null ? Map.of() : profile;
    event = event == null ? Map.of() : event;
    journey = journey == null ? Map.of() : journey;
  }

  public static MessageContext of(Profile profile, Map<String, Object> event, Map<String, Object> journey) {
    Map<String, Object> attributes = new HashMap<>(profile.attributes());
    attributes.put("profileId", profile.id());
    if (profile.email() != null) {
      attributes.put("email", profile.email());
    }
    return new MessageContext(attributes, event, journey);
  }

  /** A sample context: these attributes as the profile, no event (a campaign's review). */
  public static MessageContext sample(Map<String, Object> attributes) {
    return new MessageContext(attributes, Map.of(), Map.of());
  }

  public String locale() {
    Object locale = profile.get(LOCALE);
    return locale == null ? null : locale.toString();
  }

  public String timezone() {
    Object zone = profile.get(TIMEZONE);
    return zone == null ? null : zone.toString();
  }
}
