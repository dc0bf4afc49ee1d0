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
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class EnrollmentScheduleController {

  private final EnrollmentSchedules schedules;

  EnrollmentScheduleController(EnrollmentSchedules schedules) {
    this.schedules = schedules;
  }

  /** The cron expression and time zone are read by {@code EnrollmentSchedules}, which names what is wrong with them. */
  record ScheduleRequest(
      @ProblemType("missing-segment") @NotBlank(message = "is required: the segment of the audience") String segmentKey,
      @ProblemType("invalid-cron") @NotBlank(message = "is required: five cron fields, e.g. 0 9 * * MON") String cron,
      String timeZone,
      Map<String, Object> variables,
      Enrollments.ConsentRequirement requireConsent) {}

  @Operation(summary = "Enroll a segment's members into a journey on a cron schedule")
  @ApiResponse(responseCode = "201", description = "Created: the schedule, with its first occurrence in nextAt")
  @ApiResponse(responseCode = "400", description = "The cron expression, time zone or consent requirement does not parse")
  @ApiResponse(responseCode = "404", description = "No such journey or segment")
  @RequestExample("""
      {"segmentKey": "newsletter-subscribers", "cron": "0 9 * * MON", "timeZone": "Europe/Berlin", "variables": {"campaign": "weekly"}, "requireConsent": {"channel": "email", "purpose": "marketing"}}""")
  @PostMapping("/api/journeys/{journeyKey}/schedules")
  ResponseEntity<EnrollmentSchedule> createSchedule(@PathVariable String journeyKey, @Valid @RequestBody ScheduleRequest request,
      HttpServletRequest http) {
    EnrollmentSchedule s = schedules.create(journeyKey, request.segmentKey(), request.cron(), request.timeZone(),
        request.variables(), request.requireConsent(), Caller.of(http));
    return ResponseEntity.created(URI.create("/api/enrollment-schedules/" + s.id())).body(s);
  }

  @Operation(summary = "A journey's enrollment schedules")
  @ApiResponse(responseCode = "200", description = "The schedules, oldest first, stopped ones included")
  @GetMapping("/api/journeys/{journeyKey}/schedules")
  List<EnrollmentSchedule> journeySchedules(@PathVariable String journeyKey) {
    return schedules.ofJourney(journeyKey);
  }

  @Operation(summary = "An enrollment schedule")
  @ApiResponse(responseCode = "200", description = "The schedule")
  @ApiResponse(responseCode = "404", description = "No enrollment schedule with this id")
  @GetMapping("/api/enrollment-schedules/{id}")
  EnrollmentSchedule getSchedule(@PathVariable String id) {
    return schedules.require(id);
  }

  @Operation(summary = "An enrollment schedule's runs: started, finished, entered, refused by reason")
  @ApiResponse(responseCode = "200", description = "The runs, newest occurrence first")
  @ApiResponse(responseCode = "404", description = "No enrollment schedule with this id")
  @GetMapping("/api/enrollment-schedules/{id}/runs")
  List<EnrollmentSchedule.Run> scheduleRuns(@PathVariable String id, @RequestParam(defaultValue = "50") int limit) {
    return schedules.runs(id, Math.max(1, Math.min(limit, 500)));
  }

  @Operation(summary = "Stop an enrollment schedule")
  @ApiResponse(responseCode = "200", description = "Stopped: no more runs; its history stays")
  @ApiResponse(responseCode = "404", description = "No enrollment schedule with this id")
  @ApiResponse(responseCode = "409", description = "The schedule is stopped already")
  @PostMapping("/api/enrollment-schedules/{id}/stop")
  EnrollmentSchedule stopSchedule(@PathVariable String id) {
    return schedules.stop(id);
  }
}
