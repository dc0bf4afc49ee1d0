package dev.overture.journey;

import dev.overture.platform.Caller;
import dev.overture.platform.RequestExample;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Journeys", description = "The journey catalog and lifecycle")
class JourneyDryRunController {

  private static final String PROBLEM = JourneyCatalogController.PROBLEM;

  private final JourneyDryRuns dryRuns;

  JourneyDryRunController(JourneyDryRuns dryRuns) {
    this.dryRuns = dryRuns;
  }

  record NewDryRun(@NotNull @Schema(description = "when the dry run stops taking shadow entries") Instant until) {}

  @PostMapping("/api/journeys/{journeyKey}/versions/{version}/dry-run")
  @ResponseStatus(HttpStatus.CREATED)
  @RequestExample("""
      {"until": "2026-12-11T00:00:00Z"}""")
  @Operation(summary = "Publish a version in dry run: until then it takes a shadow of every live entry and sends nothing")
  @ApiResponse(responseCode = "201", description = "The dry run, with its stats and the live version's")
  @ApiResponse(responseCode = "400", description = "No 'until' in the future",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
  @ApiResponse(responseCode = "404", description = "No such journey or version",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
  @ApiResponse(responseCode = "409", description = "The version is the live one, none is live, or a dry run is open",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
  JourneyDryRuns.DryRun start(@PathVariable String journeyKey, @PathVariable int version,
      @Valid @RequestBody NewDryRun body, HttpServletRequest http) {
    return dryRuns.start(journeyKey, version, body.until(), Caller.of(http));
  }

  @DeleteMapping("/api/journeys/{journeyKey}/dry-run")
  @Operation(summary = "End the journey's open dry run now")
  @ApiResponse(responseCode = "200", description = "The ended dry run")
  @ApiResponse(responseCode = "404", description = "The journey has no open dry run",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
  JourneyDryRuns.DryRun end(@PathVariable String journeyKey) {
    return dryRuns.end(journeyKey);
  }

  @GetMapping("/api/journeys/{journeyKey}/dry-runs")
  @Operation(summary = "The journey's dry runs, newest first, each with its stats beside the live version's over its period")
  @ApiResponse(responseCode = "200", description = "The dry runs")
  @ApiResponse(responseCode = "404", description = "No such journey",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
  List<JourneyDryRuns.DryRun> list(@PathVariable String journeyKey) {
    return dryRuns.of(journeyKey);
  }
}
