package dev.overture.experiment;

import dev.overture.platform.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Journeys", description = "The journey catalog and lifecycle")
@ApiResponse(responseCode = "401", description = "No or unknown credentials",
    content = @Content(mediaType = ResultsController.PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
@ApiResponse(responseCode = "403", description = "The caller lacks the right (see docs/access.md)",
    content = @Content(mediaType = ResultsController.PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
class ResultsController {

  static final String PROBLEM = "application/problem+json";

  private final Experiments experiments;

  ResultsController(Experiments experiments) {
    this.experiments = experiments;
  }

  @GetMapping("/api/journeys/{journeyKey}/results")
  @Operation(summary = "What a journey achieved: conversions to its goal, revenue, attribution per message and end event, "
      + "experiment variants with interval, lift, p-value and winner, and the global holdout")
  @ApiResponse(responseCode = "200", description = "The results over the instances that entered in the period")
  @ApiResponse(responseCode = "400", description = "from or to is not an ISO 8601 instant", content = @Content(mediaType = PROBLEM,
      schema = @Schema(implementation = ProblemDetail.class)))
  @ApiResponse(responseCode = "404", description = "No such journey", content = @Content(mediaType = PROBLEM,
      schema = @Schema(implementation = ProblemDetail.class)))
  JourneyResults results(@PathVariable String journeyKey,
      @Parameter(description = "one version only; all versions when absent") @RequestParam(required = false) Integer version,
      @Parameter(description = "entered at or after this instant (ISO 8601)") @RequestParam(required = false) String from,
      @Parameter(description = "entered before this instant (ISO 8601)") @RequestParam(required = false) String to) {
    return experiments.results(journeyKey, version, instant("from", from), instant("to", to));
  }

  private static Instant instant(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiProblem.badRequest("invalid-period", name + " must be an ISO 8601 instant such as 2026-12-01T00:00:00Z, got '"
          + value + "'");
    }
  }
}
