package dev.overture.journey;

import dev.overture.platform.ApiProblem;
import dev.overture.platform.ProblemType;
import dev.overture.platform.RequestExample;
import dev.overture.profile.Profiles;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/journeys/{journeyKey}/entries")
@Tag(name = "Journeys", description = "The journey catalog and lifecycle")
class JourneyController {

  private final Journeys journeys;
  private final Profiles profiles;

  JourneyController(Journeys journeys, Profiles profiles) {
    this.journeys = journeys;
    this.profiles = profiles;
  }

  /** Either profileId or identities: a rule across fields, so {@code enter} checks it. */
  record EntryRequest(String profileId, Map<String, String> identities, Map<String, Object> variables) {}

  private static final String KEY_RULE = "must have 1 to 255 characters";

  record EntryResponse(String entryId, String journeyKey, String profileId) {}

  /**
   * Enters a profile (by id or by identities) into a journey. 201 with the entry; the same
   * {@code Idempotency-Key} again answers the same entry (header {@code Idempotent-Replayed: true}).
   */
  @Operation(summary = "Enter a profile into a journey")
  @ApiResponse(responseCode = "201", description = "Entered; the same Idempotency-Key again answers the same entry")
  @ApiResponse(responseCode = "404", description = "No journey with this key is deployed")
  @ApiResponse(responseCode = "409", description = "The journey is paused, its re-entry rule refuses this profile "
      + "(reentry-refused), or the profile is in as many marketing journeys as the journey cap allows (journey-cap)")
  @ApiResponse(responseCode = "422", description = "No such profile, or the Idempotency-Key was used for another request")
  @RequestExample("""
      {"identities": {"email": "ada@example.com"}, "variables": {"cartId": "c-17"}}""")
  @PostMapping
  ResponseEntity<EntryResponse> enter(@PathVariable String journeyKey, @Valid @RequestBody EntryRequest request,
      @ProblemType("invalid-idempotency-key") @Size(min = 1, max = 255, message = KEY_RULE) @Pattern(regexp = ".*\\S.*", message = KEY_RULE)
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
    if (!journeys.exists(journeyKey)) {
      throw ApiProblem.notFound("journey", "No journey with key '" + journeyKey + "' is deployed");
    }
    String profileId = profileOf(request);
    Entered entered = journeys.enterExisting(journeyKey, profileId, request.variables(), idempotencyKey);
    JourneyEntry e = entered.entry();
    return ResponseEntity.created(URI.create("/api/journeys/" + journeyKey + "/entries/" + e.entryId()))
        .header("Idempotent-Replayed", Boolean.toString(entered.replayed()))
        .body(new EntryResponse(e.entryId(), e.journeyKey(), e.profileId()));
  }

  @Operation(summary = "An entry into a journey")
  @ApiResponse(responseCode = "200", description = "The entry")
  @ApiResponse(responseCode = "404", description = "No such entry in this journey")
  @GetMapping("/{entryId}")
  JourneyEntry get(@PathVariable String journeyKey, @PathVariable String entryId) {
    return journeys.entry(entryId)
        .filter(e -> e.journeyKey().equals(journeyKey))
        .orElseThrow(() -> ApiProblem.notFound("entry", "No entry " + entryId + " in journey " + journeyKey));
  }

  private String profileOf(EntryRequest request) {
    if (request.profileId() != null && !request.profileId().isBlank()) {
      // whether it exists is told by the entry's lock on the profile row (422 unknown-profile)
      return request.profileId();
    }
    if (request.identities() == null || request.identities().isEmpty()) {
      throw ApiProblem.badRequest("missing-profile", "Give profileId or identities");
    }
    return profiles.resolve(request.identities())
        .orElseThrow(() -> ApiProblem.unprocessable("unknown-profile", "No profile has these identities"));
  }
}
