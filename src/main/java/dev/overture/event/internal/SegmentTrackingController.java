package dev.overture.event.internal;

import dev.overture.event.Events;
import dev.overture.event.InboundEvent;
import dev.overture.platform.ApiProblem;
import dev.overture.platform.RequestExample;
import dev.overture.profile.Profiles;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Segment HTTP Tracking API, so Segment and RudderStack SDKs can point their host at Overture:
 * {@code messageId} is the event id, {@code userId} the externalId, {@code anonymousId} the
 * anonymousId, {@code context.device.token} a deviceToken, identify {@code traits} become profile
 * attributes (and {@code traits.email} an identity), as do the {@code context.traits} of track, page
 * and screen calls, all but the reserved ones ({@link ReservedAttributeScreen}); {@code alias} merges. A client clock is corrected by its {@code sentAt} as Segment
 * does it: occurredAt = timestamp + (receivedAt - sentAt). Answers as Segment does.
 * The one-letter paths ({@code /v1/t}, {@code /v1/i}, …, {@code /v1/b}) are where analytics.js
 * posts, with a text/plain JSON body; bodies are parsed here so either content type works.
 */
@Tag(name = "Segment API", description = "The Segment HTTP Tracking API, for Segment and RudderStack SDKs")
@RestController
@RequestMapping("/v1")
class SegmentTrackingController {

  private static final Map<String, Object> OK = Map.of("success", true);

  private static final String TIMEZONE = "timezone";

  private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> MAP = new com.fasterxml.jackson.core.type.TypeReference<>() {};

  private final Events events;
  private final Profiles profiles;
  private final EventValidator validator;
  private final com.fasterxml.jackson.databind.ObjectMapper json;

  SegmentTrackingController(Events events, Profiles profiles, EventValidator validator,
      com.fasterxml.jackson.databind.ObjectMapper json) {
    this.events = events;
    this.profiles = profiles;
    this.validator = validator;
    this.json = json;
  }

  /** Bodies are read as text (analytics.js posts text/plain); the document shows the JSON object they are. */
  private static final String SEGMENT_CALL = "A call (or a batch of calls) of Segment's HTTP Tracking API";

  /** analytics.js posts to one-letter paths; server SDKs to the full names. */
  private static final Map<String, String> CALLS = Map.of("t", "track", "i", "identify", "p", "page", "s", "screen",
      "g", "group", "a", "alias");

  /** One call: {@code /v1/track}, {@code /identify}, {@code /page}, {@code /screen}, {@code /group}, {@code /alias} or their one-letter forms. */
  @Operation(summary = "Segment call: track, identify, page, screen, group or alias")
  @ApiResponse(responseCode = "200", description = "Stored, as Segment answers: {\"success\": true}")
  @ApiResponse(responseCode = "413", description = "The call is too large")
  @ApiResponse(responseCode = "422", description = "The call names no profile that exists")
  @RequestExample("""
      {"type": "track", "userId": "crm-4711", "event": "Order Completed", "messageId": "msg-5512", "properties": {"orderId": "o-991"}, "timestamp": "2026-12-01T10:15:00Z"}""")
  @PostMapping("/{call:track|identify|page|screen|group|alias|t|i|p|s|g|a}")
  Map<String, Object> call(@Parameter(schema = @Schema(allowableValues = {"track", "identify", "page", "screen", "group",
      "alias", "t", "i", "p", "s", "g", "a"})) @PathVariable String call,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
          mediaType = "application/json", schema = @Schema(type = "object", description = SEGMENT_CALL))) @RequestBody String text) {
    Instant receivedAt = Instant.now();
    return accept(List.of(map(CALLS.getOrDefault(call, call), parse(text), null, receivedAt, "")));
  }

  @Operation(summary = "Segment batch of calls")
  @ApiResponse(responseCode = "200", description = "All stored, as Segment answers: {\"success\": true}")
  @ApiResponse(responseCode = "413", description = "The batch or one of its calls is too large")
  @ApiResponse(responseCode = "422", description = "A call names no profile that exists")
  @RequestExample("""
      {"batch": [{"type": "identify", "userId": "crm-4711", "traits": {"email": "ada@example.com"}}], "sentAt": "2026-12-01T10:15:01Z"}""")
  @PostMapping({"/batch", "/b"})
  Map<String, Object> batch(@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
      mediaType = "application/json", schema = @Schema(type = "object", description = SEGMENT_CALL))) @RequestBody String text) {
    Instant receivedAt = Instant.now();
    Map<String, Object> body = parse(text);
    if (!(body.get("batch") instanceof List<?> calls) || calls.isEmpty()) {
      throw ApiProblem.badRequest("empty-batch", "Send {\"batch\": [ ... ]} with at least one call");
    }
    // the SDKs set sentAt once per request, on the batch; a message's own sentAt wins
    String batchSentAt = string(body, "sentAt");
    if (batchSentAt != null) {
      EventValidator.parse(batchSentAt, "sentAt", "");
    }
    List<InboundEvent> batch = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      if (!(calls.get(i) instanceof Map<?, ?> m)) {
        throw ApiProblem.badRequest("invalid-event", "every batch entry must be a JSON object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> call = (Map<String, Object>) m;
      batch.add(map(string(call, "type"), call, batchSentAt, receivedAt, calls.size() == 1 ? "" : "events[" + i + "]: "));
    }
    return accept(batch);
  }

  private Map<String, Object> parse(String text) {
    try {
      Map<String, Object> call = json.readValue(text, MAP);
      if (call == null) {
        throw ApiProblem.badRequest("malformed-request", "A JSON object is required");
      }
      return call;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiProblem.badRequest("malformed-request", "The request body is not a JSON object");
    }
  }

  private Map<String, Object> accept(List<InboundEvent> batch) {
    events.accept(batch);
    return OK;
  }

  private InboundEvent map(String kind, Map<String, Object> call, String batchSentAt, Instant receivedAt, String where) {
    if (kind == null) {
      throw ApiProblem.badRequest("invalid-event", "every batch entry needs a type: track, identify, page, screen or alias");
    }
    String messageId = string(call, "messageId");
    String eventId = messageId != null ? messageId : UUID.randomUUID().toString();
    String occurredAt = occurredAt(call, batchSentAt, receivedAt, where);
    Map<String, String> identities = new LinkedHashMap<>();
    put(identities, "externalId", string(call, "userId"));
    put(identities, "anonymousId", string(call, "anonymousId"));
    if (object(call, "context").get("device") instanceof Map<?, ?> device && device.get("token") instanceof String token) {
      put(identities, "deviceToken", token);
    }
    Map<String, Object> properties = new HashMap<>(object(call, "properties"));
    return switch (kind) {
      case "track" -> {
        String event = string(call, "event");
        if (event == null) {
          throw ApiProblem.badRequest("invalid-event", "a track call needs 'event', e.g. \"Order Completed\"");
        }
        yield new InboundEvent(eventId, event, null, identities, occurredAt, properties, contextTraits(call), null, "segment");
      }
      case "identify" -> {
        Map<String, Object> traits = withTimezone(call, object(call, "traits"));
        if (traits.get("email") instanceof String email && email.contains("@")) {
          put(identities, "email", email);
        }
        yield new InboundEvent(eventId, "identify", null, identities, occurredAt, properties, traits, null, "segment");
      }
      case "group" -> {
        properties.put("groupId", string(call, "groupId"));
        properties.put("traits", object(call, "traits"));
        yield new InboundEvent(eventId, "group", null, identities, occurredAt, properties, null, null, "segment");
      }
      case "page", "screen" -> {
        if (string(call, "name") != null) {
          properties.put("name", string(call, "name"));
        }
        yield new InboundEvent(eventId, kind, null, identities, occurredAt, properties, contextTraits(call), null, "segment");
      }
      case "alias" -> {
        String previousId = string(call, "previousId");
        if (previousId == null || string(call, "userId") == null) {
          throw ApiProblem.badRequest("invalid-event", "an alias call needs previousId and userId");
        }
        // previousId is an earlier userId if a profile has it as externalId, else an anonymousId
        String type = profiles.resolve(Map.of("externalId", previousId)).isPresent() ? "externalId" : "anonymousId";
        yield new InboundEvent(eventId, "alias", null, Map.of("externalId", string(call, "userId")), occurredAt,
            Map.of("previousId", previousId), null, Map.of(type, previousId), "segment");
      }
      default -> throw ApiProblem.badRequest("invalid-event", "unknown call type '" + kind
          + "'; use track, identify, page, screen, group or alias");
    };
  }

  /**
   * The client's {@code timestamp} (else {@code originalTimestamp}), corrected for the client's clock
   * when it says when it sent the call: + (receivedAt - sentAt), Segment's formula. The corrected time
   * is range-checked by the validator like any occurredAt; sentAt itself only needs to be a time: a
   * device whose clock is days off sends both times off by the same amount, which is what the
   * correction is for.
   */
  private String occurredAt(Map<String, Object> call, String batchSentAt, Instant receivedAt, String where) {
    String original = string(call, "timestamp") != null ? string(call, "timestamp") : string(call, "originalTimestamp");
    String sentAt = string(call, "sentAt") != null ? string(call, "sentAt") : batchSentAt;
    if (sentAt == null) {
      return original;
    }
    Instant sent = EventValidator.parse(sentAt, "sentAt", where);
    if (original == null) {
      return null;
    }
    Instant clientTime = EventValidator.parse(original, string(call, "timestamp") != null ? "timestamp" : "originalTimestamp", where);
    return clientTime.plus(Duration.between(sent, receivedAt)).toString();
  }

  /** {@code context.traits}: what the client knows of the user, filled like identify traits; merged the same way. */
  private static Map<String, Object> contextTraits(Map<String, Object> call) {
    Map<String, Object> traits = withTimezone(call, object(object(call, "context"), "traits"));
    return traits.isEmpty() ? null : traits;
  }

  /**
   * The device's zone ({@code context.timezone}, an IANA id) as attribute {@code timezone}, which quiet
   * hours and the local-time wait read. A {@code timezone} trait the client set itself wins; a value that
   * is no zone is left out, so it cannot replace a good one.
   */
  private static Map<String, Object> withTimezone(Map<String, Object> call, Map<String, Object> traits) {
    if (traits.containsKey(TIMEZONE) || !(object(call, "context").get(TIMEZONE) instanceof String zone)) {
      return traits;
    }
    try {
      java.time.ZoneId.of(zone);
    } catch (java.time.DateTimeException e) {
      return traits;
    }
    Map<String, Object> out = new HashMap<>(traits);
    out.put(TIMEZONE, zone);
    return out;
  }

  private static void put(Map<String, String> identities, String type, String value) {
    if (value != null && !value.isBlank()) {
      identities.put(type, value);
    }
  }

  private static String string(Map<String, Object> call, String key) {
    Object v = call.get(key);
    return v == null ? null : v.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Map<String, Object> call, String key) {
    return call.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
