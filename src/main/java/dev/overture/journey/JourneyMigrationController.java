package dev.overture.journey;

import dev.overture.platform.Caller;
import dev.overture.platform.RequestExample;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.util.Map;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/journeys/{journeyKey}/migrations")
class JourneyMigrationController {

  private static final String PROBLEM = JourneyCatalogController.PROBLEM;

  private final JourneyMigrations migrations;

  JourneyMigrationController(JourneyMigrations migrations) {
    this.migrations = migrations;
  }

  /** A migration asked for; {@code mapping} pairs source element ids of the old version with target ids of the new. */
  record MigrationRequest(@NotNull @Positive Integer fromVersion, @NotNull @Positive Integer toVersion,
      @Schema(description = "source element id → target element id; elements with the same id map without it")
      Map<String, String> mapping,
      @Schema(description = "true: only say what would happen; nothing moves") Boolean dryRun) {}

  @Operation(summary = "Migrate a journey's running instances from one version to the live one, or with dryRun say what would "
      + "happen: instances per source element, and which would fail and why (docs/journeys.md#migrating-running-customers)")
  @ApiResponse(responseCode = "200", description = "The dry run: nothing moved")
  @ApiResponse(responseCode = "202", description = "The migration started as a Camunda batch; Location reads its progress")
  @ApiResponse(responseCode = "400", description = "A version is missing, not a positive number, or both are the same",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
  @ApiResponse(responseCode = "404", description = "No such journey, or no such version of it",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
  @ApiResponse(responseCode = "409", description = "The target version is not live, no instance runs on the source version, or a migration of the journey still runs",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
  @ApiResponse(responseCode = "422", description = "Camunda refuses the migration plan; instructions names each failure",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
  @RequestExample("""
      {"fromVersion": 1, "toVersion": 2, "mapping": {"Event_Wait": "Event_WaitTwoDays"}, "dryRun": true}""")
  @PostMapping
  ResponseEntity<Object> migrate(@PathVariable String journeyKey, @Valid @RequestBody MigrationRequest request,
      HttpServletRequest http) {
    if (Boolean.TRUE.equals(request.dryRun())) {
      return ResponseEntity.ok(migrations.dryRun(journeyKey, request.fromVersion(), request.toVersion(), request.mapping()));
    }
    JourneyMigrations.Migration started = migrations.start(journeyKey, request.fromVersion(), request.toVersion(), request.mapping(),
        Caller.of(http));
    return ResponseEntity.accepted().location(URI.create("/api/journeys/" + journeyKey + "/migrations/" + started.id())).body(started);
  }

  @Operation(summary = "A migration's progress: instances migrated, failed and remaining")
  @ApiResponse(responseCode = "200", description = "The migration")
  @ApiResponse(responseCode = "404", description = "No such migration of this journey",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
  @GetMapping("/{id}")
  JourneyMigrations.Migration get(@PathVariable String journeyKey, @PathVariable String id) {
    return migrations.get(journeyKey, id);
  }
}
