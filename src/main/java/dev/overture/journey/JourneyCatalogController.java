package dev.overture.journey;

import dev.overture.platform.Caller;
import dev.overture.platform.RequestExample;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Journeys", description = "The journey catalog and lifecycle")
@ApiResponse(responseCode = "401", description = "No or unknown credentials",
    content = @Content(mediaType = JourneyCatalogController.PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
@ApiResponse(responseCode = "403", description = "The caller lacks the right (see docs/access.md)",
    content = @Content(mediaType = JourneyCatalogController.PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
class JourneyCatalogController {

  static final String PROBLEM = "application/problem+json";

  private final JourneyCatalog catalog;
  private final JourneyStats stats;

  JourneyCatalogController(JourneyCatalog catalog, JourneyStats stats) {
    this.catalog = catalog;
    this.stats = stats;
  }

  /** The body of a pause; without one, running instances go on. */
  record PauseRequest(@Schema(description = "also suspend the running instances (resume reactivates them)") Boolean suspendRunning) {}

  @GetMapping("/api/journeys")
  @Operation(summary = "List the deployed journeys with their versions, running counts, state, re-entry rule and goal")
  @ApiResponse(responseCode = "200", description = "The journeys (approval processes are not journeys)")
  List<JourneyCatalog.Journey> list() {
    return catalog.list();
  }

  @GetMapping("/api/journeys/{journeyKey}")
  @Operation(summary = "Read one journey of the catalog")
  @ApiResponse(responseCode = "200", description = "The journey")
  @ApiResponse(responseCode = "404", description = "No such journey", content = @Content(mediaType = PROBLEM,
      schema = @Schema(implementation = ProblemDetail.class)))
  JourneyCatalog.Journey get(@PathVariable String journeyKey) {
    return catalog.get(journeyKey);
  }

  @GetMapping("/api/journeys/{journeyKey}/stats")
  @Operation(summary = "A journey's numbers: entries, running and ended by reason, per element entered, waiting and "
      + "completed, per Send step the messages' outcomes, entries per day (docs/journeys.md#stats)")
  @ApiResponse(responseCode = "200", description = "The counts; from and to select the hours of entry that overlap [from, to)")
  @ApiResponse(responseCode = "400", description = "version, from or to is not a number or an ISO-8601 instant",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
  @ApiResponse(responseCode = "404", description = "No such journey, or no such version of it", content = @Content(mediaType = PROBLEM,
      schema = @Schema(implementation = ProblemDetail.class)))
  JourneyStats.Stats stats(@PathVariable String journeyKey,
      @Parameter(description = "one version; all versions when absent") @RequestParam(required = false) Integer version,
      @Parameter(description = "entered at or after this instant, e.g. 2026-12-01T00:00:00Z") @RequestParam(required = false) Instant from,
      @Parameter(description = "entered before this instant") @RequestParam(required = false) Instant to) {
    return stats.of(journeyKey, version, from, to);
  }

  @PostMapping("/api/journeys/{journeyKey}/pause")
  @RequestExample("""
      {"suspendRunning": true}""")
  @Operation(summary = "Pause a journey: no new entries; running instances go on unless suspendRunning is true")
  @ApiResponse(responseCode = "200", description = "The journey, now paused")
  @ApiResponse(responseCode = "400", description = "The body is not JSON", content = @Content(mediaType = PROBLEM,
      schema = @Schema(implementation = ProblemDetail.class)))
  @ApiResponse(responseCode = "404", description = "No such journey", content = @Content(mediaType = PROBLEM,
      schema = @Schema(implementation = ProblemDetail.class)))
  JourneyCatalog.Journey pause(@PathVariable String journeyKey, @Valid @RequestBody(required = false) PauseRequest request,
      HttpServletRequest http) {
    boolean suspend = request != null && Boolean.TRUE.equals(request.suspendRunning());
    return catalog.pause(journeyKey, suspend, Caller.of(http));
  }

  @PostMapping("/api/journeys/{journeyKey}/resume")
  @Operation(summary = "Resume a paused journey: new entries again, and instances the pause suspended run on")
  @ApiResponse(responseCode = "200", description = "The journey, now active")
  @ApiResponse(responseCode = "404", description = "No such journey", content = @Content(mediaType = PROBLEM,
      schema = @Schema(implementation = ProblemDetail.class)))
  JourneyCatalog.Journey resume(@PathVariable String journeyKey, HttpServletRequest http) {
    return catalog.resume(journeyKey, Caller.of(http));
  }

  @DeleteMapping("/api/journeys/{journeyKey}/profiles/{profileId}")
  @Operation(summary = "Take a profile out of a journey: its running instances end with the reason \"exited by API\"")
  @ApiResponse(responseCode = "204", description = "The profile's instances ended")
  @ApiResponse(responseCode = "404", description = "No such journey, or the profile is not in it",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
  ResponseEntity<Void> exit(@PathVariable String journeyKey, @PathVariable String profileId) {
    catalog.exit(journeyKey, profileId);
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/api/profiles/{profileId}/journeys")
  @Operation(summary = "A profile's running and ended journeys, with the current steps of the running ones")
  @ApiResponse(responseCode = "200", description = "The profile's journeys, oldest first (ids merged into it included)")
  @ApiResponse(responseCode = "404", description = "No such profile", content = @Content(mediaType = PROBLEM,
      schema = @Schema(implementation = ProblemDetail.class)))
  List<JourneyCatalog.ProfileJourney> ofProfile(@PathVariable String profileId) {
    return catalog.ofProfile(profileId);
  }
}
