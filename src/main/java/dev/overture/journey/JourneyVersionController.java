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
import jakarta.validation.constraints.NotBlank;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Journeys", description = "The journey catalog and lifecycle")
class JourneyVersionController {

  private static final String PROBLEM = JourneyCatalogController.PROBLEM;

  private final JourneyVersions versions;

  JourneyVersionController(JourneyVersions versions) {
    this.versions = versions;
  }

  /** A new version's BPMN as Camunda Modeler saves it; {@code author} names the writer when an API key deploys. */
  record NewVersion(@NotBlank @Schema(description = "the BPMN XML; its process id is the journey key") String bpmn,
      @Schema(description = "the Camunda user who wrote it; required with an API key, yourself otherwise") String author) {}

  /** The deployed draft. */
  record Deployed(String journeyKey, int version, String state) {}

  @PostMapping("/api/journeys/{journeyKey}/versions")
  @ResponseStatus(HttpStatus.CREATED)
  @RequestExample("""
      {"bpmn": "<?xml version=\\"1.0\\" encoding=\\"UTF-8\\"?><bpmn:definitions …><bpmn:process id=\\"welcome\\" …>…</bpmn:definitions>", "author": "mia"}""")
  @Operation(summary = "Deploy a new version of a journey as a draft: it takes nothing until its review approves it")
  @ApiResponse(responseCode = "201", description = "The draft")
  @ApiResponse(responseCode = "400", description = "The BPMN cannot be deployed (the problem names each element) or names another process",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
  @ApiResponse(responseCode = "409", description = "The BPMN is the same as the newest version",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
  @ApiResponse(responseCode = "422", description = "An API key named no author, or a person another one",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
  Deployed deploy(@PathVariable String journeyKey, @Valid @RequestBody NewVersion body, HttpServletRequest http) {
    int version = versions.deploy(journeyKey, body.bpmn(), Caller.of(http), body.author());
    return new Deployed(journeyKey, version, JourneyVersion.DRAFT);
  }

  @PostMapping("/api/journeys/{journeyKey}/versions/{version}/submit")
  @Operation(summary = "Submit a draft for review: a compliance officer decides in Tasklist, seeing what changes against the live version")
  @ApiResponse(responseCode = "200", description = "The version, now in review")
  @ApiResponse(responseCode = "404", description = "No such journey or version",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
  @ApiResponse(responseCode = "409", description = "The version is not a draft",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
  JourneyVersion submit(@PathVariable String journeyKey, @PathVariable int version, HttpServletRequest http) {
    return versions.submit(journeyKey, version, Caller.of(http));
  }

  @PostMapping("/api/journeys/{journeyKey}/versions/{version}/activate")
  @Operation(summary = "Roll back to a retired version: a review in Tasklist, as for a draft, makes it live again")
  @ApiResponse(responseCode = "200", description = "The version, now in review")
  @ApiResponse(responseCode = "404", description = "No such journey or version",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
  @ApiResponse(responseCode = "409", description = "The version is not retired",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
  JourneyVersion activate(@PathVariable String journeyKey, @PathVariable int version, HttpServletRequest http) {
    return versions.activate(journeyKey, version, Caller.of(http));
  }
}
