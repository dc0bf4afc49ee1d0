package dev.overture.event;

import dev.overture.platform.ApiProblem;
import dev.overture.profile.Profiles;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/events")
class EventController {

  private static final Pattern TYPE = Pattern.compile("^[a-zA-Z][a-zA-Z0-9_.:-]{0,199}$");

  private final Events events;
  private final Profiles profiles;

  EventController(Events events, Profiles profiles) {
    this.events = events;
    this.profiles = profiles;
  }

  record EventRequest(String eventId, String type, String profileId, String occurredAt, Map<String, Object> properties) {}

  /** Accepts a customer event (202); the same eventId again is a no-op. */
  @PostMapping
  @ResponseStatus(HttpStatus.ACCEPTED)
  Events.Ingested ingest(@RequestBody EventRequest request) {
    if (request.eventId() == null || request.eventId().isBlank() || request.eventId().length() > 255) {
      throw ApiProblem.badRequest("invalid-event", "eventId is required (1 to 255 characters)");
    }
    if (request.type() == null || !TYPE.matcher(request.type()).matches()) {
      throw ApiProblem.badRequest("invalid-event", "type is required, e.g. 'purchase.completed'");
    }
    if (request.profileId() == null || !profiles.exists(request.profileId())) {
      throw ApiProblem.unprocessable("unknown-profile", "No profile with id " + request.profileId());
    }
    Instant occurredAt;
    try {
      occurredAt = request.occurredAt() == null ? Instant.now() : Instant.parse(request.occurredAt());
    } catch (DateTimeParseException e) {
      throw ApiProblem.badRequest("invalid-timestamp", "occurredAt must be an ISO 8601 instant such as 2026-11-23T10:15:30Z");
    }
    return events.ingest(new CustomerEvent(request.eventId(), request.type(), request.profileId(), occurredAt,
        request.properties()));
  }
}
