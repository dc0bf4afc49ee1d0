package dev.overture.enrollment;

import dev.overture.platform.Caller;
import jakarta.servlet.http.HttpServletRequest;
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

  record EnrollmentRequest(String segmentKey, Map<String, Object> variables, Enrollments.ConsentRequirement requireConsent) {}

  /** Starts enrolling a segment's members into the journey in the background; 202 with the progress resource. */
  @PostMapping("/api/journeys/{journeyKey}/enrollments")
  ResponseEntity<Enrollment> start(@PathVariable String journeyKey, @RequestBody EnrollmentRequest request,
      HttpServletRequest http) {
    Enrollment e = enrollments.start(journeyKey, request.segmentKey(), request.variables(), request.requireConsent(),
        Caller.of(http));
    return ResponseEntity.accepted().location(URI.create("/api/enrollments/" + e.id())).body(e);
  }

  @GetMapping("/api/enrollments/{id}")
  Enrollment get(@PathVariable String id) {
    return enrollments.require(id);
  }

  @PostMapping("/api/enrollments/{id}/pause")
  Enrollment pause(@PathVariable String id) {
    return enrollments.pause(id);
  }

  @PostMapping("/api/enrollments/{id}/resume")
  Enrollment resume(@PathVariable String id) {
    return enrollments.resume(id);
  }

  @PostMapping("/api/enrollments/{id}/cancel")
  Enrollment cancel(@PathVariable String id) {
    return enrollments.cancel(id);
  }
}
