package dev.overture.enrollment;

import java.time.Instant;
import java.util.Map;
import org.springframework.lang.Nullable;

/**
 * An audience enrollment and its progress. {@code total} is the number of profiles to evaluate (the
 * members themselves when the segment is decided in SQL); {@code scanned} of them are done.
 * {@code skipped} members did not enter (reasons: {@code no-consent}, {@code already-in-journey}, {@code entered-before},
 * {@code journey-paused}, {@code journey-cap});
 * {@code undecided} profiles could not be evaluated and count as non-members; {@code failed}
 * members could not be started. {@code rate} is journeys entered per second of work, {@code etaSeconds}
 * the time left at the current scan rate.
 */
public record Enrollment(
    String id, String journeyKey, String segmentKey, int segmentVersion, String status,
    long total, long scanned, long enrolled, long skipped, Map<String, Long> skippedReasons,
    long undecided, long failed, double rate, @Nullable Long etaSeconds,
    Instant createdAt, Instant updatedAt, @Nullable Instant finishedAt) {

  public static final String RUNNING = "running";
  public static final String PAUSED = "paused";
  public static final String COMPLETED = "completed";
  public static final String CANCELLED = "cancelled";
}
