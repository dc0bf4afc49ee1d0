package dev.overture.event;

import dev.overture.platform.RequestExample;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/events")
class EventController {

  private final Events events;

  EventController(Events events) {
    this.events = events;
  }

  /** eventId and type are checked by the events' validator, not Bean Validation, and declared required here. */
  record EventRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String eventId,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String type, String profileId, Map<String, String> identities,
      String occurredAt, Map<String, Object> properties) {

    InboundEvent inbound() {
      return InboundEvent.of(eventId, type, profileId, identities, occurredAt, properties, "api");
    }
  }

  record BatchRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<EventRequest> events) {}

  record BatchResponse(List<Events.Ingested> events) {}

  /** Accepts a customer event (202 once it is stored); the same eventId again is a no-op. */
  @Operation(summary = "Ingest a customer event")
  @ApiResponse(responseCode = "413", description = "The event is too large")
  @ApiResponse(responseCode = "422", description = "The event names no profile that exists")
  @RequestExample("""
      {"eventId": "evt-20261201-0001", "type": "purchase.completed", "identities": {"email": "ada@example.com"}, "occurredAt": "2026-12-01T10:15:00Z", "properties": {"orderId": "o-991", "total": 59.90}}""")
  @PostMapping
  @ResponseStatus(HttpStatus.ACCEPTED)
  Events.Ingested ingest(@RequestBody EventRequest request) {
    return events.accept(List.of(request.inbound())).get(0);
  }

  /** Accepts up to 1000 events at once (202 once all are stored); one bad event refuses the whole batch. */
  @Operation(summary = "Ingest up to 1000 events at once, all or none")
  @ApiResponse(responseCode = "413", description = "The batch or one of its events is too large")
  @ApiResponse(responseCode = "422", description = "An event names no profile that exists")
  @RequestExample("""
      {"events": [{"eventId": "evt-20261201-0002", "type": "cart.updated", "profileId": "p-1", "properties": {"cartId": "c-17"}}]}""")
  @PostMapping("/batch")
  @ResponseStatus(HttpStatus.ACCEPTED)
  BatchResponse ingestBatch(@RequestBody BatchRequest request) {
    if (request.events() == null) {
      throw dev.overture.platform.ApiProblem.badRequest("empty-batch", "Send {\"events\": [ ... ]} with at least one event");
    }
    return new BatchResponse(events.accept(request.events().stream().map(e -> e == null ? null : e.inbound()).toList()));
  }
}
