package dev.overture.enrollment;

import dev.overture.platform.Caller;
import dev.overture.platform.ProblemType;
import dev.overture.platform.RequestExample;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class EnrollmentController {

  private final Enrollments enrollments;

  EnrollmentController(Enrollments enrollments) {
    this.enrollments = enrollments;
  }

  /** The consent requirement names a channel and purpose, which {@code Consents} looks up. */
  record EnrollmentRequest(
      @ProblemType("missing-segment") @NotBlank(message = "is required: the segment of the audience") String segmentKey,
      Map<String, Object> variables,
      Enrollments.ConsentRequirement requireConsent) {}

  /** Starts enrolling a segment's members into the journey in the background; 202 with the progress resource. */
  @Operation(summary = "Enroll a segment's members into a journey, in the background")
  @ApiResponse(responseCode = "202", description = "Accepted: the enrollment's progress resource")
  @ApiResponse(responseCode = "404", description = "No such journey or segment")
  @ApiResponse(responseCode = "409", description = "The journey is paused")
  @RequestExample("""
      {"segmentKey": "newsletter-subscribers", "variables": {"campaign": "winter"}, "requireConsent": {"channel": "email", "purpose": "marketing"}}""")
  @PostMapping("/api/journeys/{journeyKey}/enrollments")
  ResponseEntity<Enrollment> start(@PathVariable String journeyKey, @Valid @RequestBody EnrollmentRequest request,
      HttpServletRequest http) {
    Enrollment e = enrollments.start(journeyKey, request.segmentKey(), request.variables(), request.requireConsent(),
        Caller.of(http));
    return ResponseEntity.accepted().location(URI.create("/api/enrollments/" + e.id())).body(e);
  }

  @Operation(summary = "An enrollment's progress")
  @ApiResponse(responseCode = "200", description = "The enrollment")
  @ApiResponse(responseCode = "404", description = "No enrollment with this id")
  @GetMapping("/api/enrollments/{id}")
  Enrollment get(@PathVariable String id) {
    return enrollments.require(id);
  }

  @Operation(summary = "Pause an enrollment")
  @ApiResponse(responseCode = "200", description = "Paused")
  @ApiResponse(responseCode = "404", description = "No enrollment with this id")
  @ApiResponse(responseCode = "409", description = "The enrollment cannot be paused in its state")
  @PostMapping("/api/enrollments/{id}/pause")
  Enrollment pause(@PathVariable String id) {
    return enrollments.pause(id);
  }

  @Operation(summary = "Resume an enrollment")
  @ApiResponse(responseCode = "200", description = "Resumed")
  @ApiResponse(responseCode = "404", description = "No enrollment with this id")
  @ApiResponse(responseCode = "409", description = "The enrollment cannot be resumed in its state")
  @PostMapping("/api/enrollments/{id}/resume")
  Enrollment resume(@PathVariable String id) {
    return enrollments.resume(id);
  }

  @Operation(summary = "Cancel an enrollment")
  @ApiResponse(responseCode = "200", description = "Cancelled")
  @ApiResponse(responseCode = "404", description = "No enrollment with this id")
  @ApiResponse(responseCode = "409", description = "The enrollment cannot be cancelled in its state")
  @PostMapping("/api/enrollments/{id}/cancel")
  Enrollment cancel(@PathVariable String id) {
    return enrollments.cancel(id);
  }
}
