package dev.overture.event.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.event.InboundEvent;
import dev.overture.platform.DomainException;
import dev.overture.platform.InvalidInput;
import dev.overture.platform.TooLarge;
import dev.overture.platform.Unprocessable;
import dev.overture.profile.Profiles;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Checks a whole batch before anything is stored, so a bad event refuses the batch and leaves no
 * trace. An unknown event type is fine; a missing identity, an invalid timestamp or an oversized
 * event is not. Problems name the event by its position in the batch.
 */
@Component
public class EventValidator {

  private static final Pattern TYPE = Pattern.compile("^[a-zA-Z][a-zA-Z0-9_.:\\- ]{0,199}$");
  private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  private final Profiles profiles;
  private final ObjectMapper json;
  private final EventsProperties props;

  EventValidator(Profiles profiles, ObjectMapper json, EventsProperties props) {
    this.profiles = profiles;
    this.json = json;
    this.props = props;
  }

  /**
   * An event that passed validation; {@code properties} is already JSON; {@code namedProfileId} is the
   * profile that its {@code profileId} names now (the survivor of a merge), null without one.
   */
  public record ValidEvent(InboundEvent raw, Instant occurredAt, String propertiesJson, String namedProfileId) {}

  public List<ValidEvent> validate(List<InboundEvent> batch) {
    if (batch == null || batch.isEmpty()) {
      throw new InvalidInput("empty-batch", "Send at least one event");
    }
    if (batch.size() > props.maxBatchEvents()) {
      throw new TooLarge("batch-too-large", "Batch too large",
          "A batch holds at most " + props.maxBatchEvents() + " events; this one has " + batch.size());
    }
    // the profiles that events name by id alone, looked up for the whole batch in two queries
    java.util.Set<String> named = new java.util.HashSet<>();
    batch.forEach(e -> {
      if (e != null && e.profileId() != null && !e.profileId().isBlank()) {
        named.add(e.profileId());
      }
    });
    Map<String, String> known = named.isEmpty() ? Map.of() : profiles.canonicalIds(named);
    List<ValidEvent> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      String where = batch.size() == 1 ? "" : "events[" + i + "]: ";
      out.add(validate(batch.get(i), where, known));
    }
    return out;
  }

  private ValidEvent validate(InboundEvent e, String where, Map<String, String> knownProfiles) {
    if (e == null) {
      throw new InvalidInput("invalid-event", where + "an event must be a JSON object");
    }
    if (e.eventId() == null || e.eventId().isBlank() || e.eventId().length() > 255) {
      throw new InvalidInput("invalid-event", where + "eventId is required (1 to 255 characters)");
    }
    if (e.type() == null || !TYPE.matcher(e.type()).matches()) {
      throw new InvalidInput("invalid-event", where + "type is required: a letter, then up to 199 letters, digits, "
          + "spaces or _.:- (e.g. 'cart.abandoned')");
    }
    boolean hasProfileId = e.profileId() != null && !e.profileId().isBlank();
    boolean hasIdentities = e.identities() != null && e.identities().values().stream().anyMatch(v -> v != null && !v.isBlank());
    if (!hasProfileId && !hasIdentities) {
      throw new InvalidInput("missing-identity", where + "name the customer with profileId or identities "
          + "(email, phone, externalId, anonymousId, deviceToken)");
    }
    try {
      if (hasIdentities) {
        profiles.validateIdentities(e.identities());
      }
      if (e.aliasOf() != null) {
        profiles.validateIdentities(e.aliasOf());
      }
    } catch (DomainException p) {
      throw new InvalidInput(p.type(), where + p.getMessage());
    }
    if (hasProfileId && !hasIdentities && !knownProfiles.containsKey(e.profileId())) {
      throw new Unprocessable("unknown-profile", where + "no profile with id " + e.profileId());
    }
    Instant occurredAt = occurredAt(e.occurredAt(), where);
    String properties = write(e.properties() == null ? Map.of() : e.properties(), where);
    int size = properties.getBytes(StandardCharsets.UTF_8).length + (e.traits() == null ? 0 : write(e.traits(), where).length());
    if (size > props.maxEventSize().toBytes()) {
      throw new TooLarge("event-too-large", "Event too large",
          where + "an event's properties may have at most " + props.maxEventSize().toKilobytes() + " KiB; this one has "
              + size / 1024 + " KiB");
    }
    return new ValidEvent(e, occurredAt, properties, hasProfileId ? knownProfiles.get(e.profileId()) : null);
  }

  private Instant occurredAt(String text, String where) {
    return text == null || text.isBlank() ? Instant.now() : timestamp(text, "occurredAt", where);
  }

  /**
   * A client timestamp as every source gets it checked: ISO 8601 with offset, not before 2000, and
   * at most {@code max-clock-skew} ahead. A bad one is a 400 {@code invalid-timestamp} naming the field.
   */
  public Instant timestamp(String text, String field, String where) {
    Instant t = parse(text, field, where);
    if (t.isBefore(EARLIEST) || t.isAfter(Instant.now().plus(props.maxClockSkew()))) {
      throw new InvalidInput("invalid-timestamp", where + field + " " + text
          + " is before 2000 or more than " + props.maxClockSkew() + " in the future");
    }
    return t;
  }

  /** Only the format check of {@link #timestamp}: for a client time that is corrected before its range is checked. */
  public static Instant parse(String text, String field, String where) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidInput("invalid-timestamp", where + field + " '" + text
          + "' is not an ISO 8601 date-time with offset, e.g. 2026-11-23T10:15:30Z");
    }
  }

  private String write(Map<String, Object> map, String where) {
    try {
      return json.writeValueAsString(map);
    } catch (JsonProcessingException ex) {
      throw new InvalidInput("invalid-properties", where + "properties cannot be written as JSON");
    }
  }
}
