package dev.overture.enrollment;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;
import org.springframework.lang.Nullable;

/**
 * A recurring enrollment: at every occurrence of {@code cron} (in {@code timeZone}) the segment's members enter the
 * journey as far as its re-entry rule lets them, through an audience enrollment of their own. {@code cron} is as given
 * (five Unix fields, or Spring's six with seconds); {@code status} {@code active} or {@code stopped}; {@code nextAt}
 * the next occurrence it will run.
 */
public record EnrollmentSchedule(String id, String journeyKey, String segmentKey, String cron, String timeZone,
    Map<String, Object> variables, @Nullable Enrollments.ConsentRequirement requireConsent, String status,
    Instant nextAt, String createdBy, Instant createdAt) {

  public static final String ACTIVE = "active";
  public static final String STOPPED = "stopped";

  /**
   * One run of a schedule: the occurrence it ran for, when it started, how many earlier occurrences it stood in for
   * ({@code missed}: the node was down or the schedule late), and its enrollment's outcome: {@code status} of the
   * enrollment ({@code running}, {@code completed}, …, or {@code failed} when none could start, with {@code error}),
   * {@code entered} members, {@code refused} members by reason (the re-entry rule's {@code already-in-journey} and
   * {@code entered-before}, {@code no-consent}, {@code journey-paused}, {@code journey-cap}).
   */
  @Schema(name = "EnrollmentScheduleRun")
  public record Run(String scheduleId, Instant occurrenceAt, Instant startedAt, int missed, @Nullable String enrollmentId,
      String status, @Nullable Instant finishedAt, long entered, Map<String, Long> refused, long undecided, long failed,
      @Nullable String error) {}
}
