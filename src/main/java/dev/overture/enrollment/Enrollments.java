package dev.overture.enrollment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.consent.Consents;
import dev.overture.enrollment.internal.EnrollmentWorker;
import dev.overture.journey.Journeys;
import dev.overture.journey.UnknownJourney;
import dev.overture.platform.Conflict;
import dev.overture.platform.InvalidInput;
import dev.overture.platform.NotFound;
import dev.overture.segment.Segment;
import dev.overture.segment.Segments;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Audience enrollment: enters every member of a segment into a journey, in the background, in
 * chunks of one transaction each, exactly once per profile. The segment version is pinned at
 * start, so editing the segment does not change a running enrollment. Campaigns use the same
 * {@link #start}.
 */
@Service
public class Enrollments {

  private final JdbcClient jdbc;
  private final Journeys journeys;
  private final Segments segments;
  private final EnrollmentWorker worker;
  private final ObjectMapper json;

  Enrollments(JdbcClient jdbc, Journeys journeys, Segments segments, EnrollmentWorker worker, ObjectMapper json) {
    this.jdbc = jdbc;
    this.journeys = journeys;
    this.segments = segments;
    this.worker = worker;
    this.json = json;
  }

  /** Only members whose consent allows this channel and purpose enter; the others are skipped. */
  public record ConsentRequirement(String channel, String purpose) {}

  /**
   * Starts enrolling the segment's current members; returns at once with the enrollment in state running.
   * A paused journey refuses with a 409 problem; members reached while it is paused later are skipped.
   */
  public Enrollment start(String journeyKey, String segmentKey, Map<String, Object> variables,
      ConsentRequirement requireConsent, String createdBy) {
    if (!journeys.exists(journeyKey)) {
      throw new UnknownJourney(journeyKey);
    }
    journeys.requireNotPaused(journeyKey);
    Segment segment = audience(journeyKey, segmentKey);
    String[] consent = consentKeys(requireConsent);
    String channel = consent[0];
    String purpose = consent[1];
    String vars = variablesJson(variables);
    String id = UUID.randomUUID().toString();
    Timestamp now = Timestamp.from(Instant.now());
    long total = segments.candidates(segment);
    jdbc.sql("""
            INSERT INTO enrollment (id, journey_key, segment_key, segment_version, variables, consent_channel, consent_purpose,
              status, total, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
        .params(id, journeyKey, segment.key(), segment.version(), vars, channel, purpose, Enrollment.RUNNING, total,
            createdBy, now, now)
        .update();
    worker.wake();
    return find(id).orElseThrow();
  }

  /** The journey must be deployed and the segment exist: 404 otherwise, 400 without a segment key; the newest segment version. */
  Segment audience(String journeyKey, String segmentKey) {
    if (!journeys.exists(journeyKey)) {
      throw new UnknownJourney(journeyKey);
    }
    if (segmentKey == null || segmentKey.isBlank()) {
      throw new InvalidInput("missing-segment", "Give the segmentKey of the audience");
    }
    return segments.require(segmentKey);
  }

  /** The consent requirement's channel and purpose keys (purpose marketing unless named), both null without one; 400 for unknown ones. */
  static String[] consentKeys(ConsentRequirement requireConsent) {
    if (requireConsent == null) {
      return new String[] {null, null};
    }
    return new String[] {Consents.channel(requireConsent.channel()).key(),
        Consents.purpose(requireConsent.purpose() == null ? "marketing" : requireConsent.purpose()).key()};
  }

  String variablesJson(Map<String, Object> variables) {
    try {
      return json.writeValueAsString(variables == null ? Map.of() : variables);
    } catch (JsonProcessingException e) {
      throw new InvalidInput("invalid-variables", "variables cannot be written as JSON");
    }
  }

  public Optional<Enrollment> find(String id) {
    return jdbc.sql("SELECT * FROM enrollment WHERE id = ?").param(id).query(this::row).optional();
  }

  public Enrollment require(String id) {
    return find(id).orElseThrow(() -> new NotFound("enrollment", "No enrollment with id " + id));
  }

  /** Stops after the current chunk; {@link #resume} continues from the cursor. */
  public Enrollment pause(String id) {
    return transition(id, List.of(Enrollment.RUNNING), Enrollment.PAUSED);
  }

  public Enrollment resume(String id) {
    Enrollment e = transition(id, List.of(Enrollment.PAUSED), Enrollment.RUNNING);
    worker.wake();
    return e;
  }

  /** Enrolls nobody more; profiles already enrolled stay in their journeys. */
  public Enrollment cancel(String id) {
    return transition(id, List.of(Enrollment.RUNNING, Enrollment.PAUSED), Enrollment.CANCELLED);
  }

  private Enrollment transition(String id, List<String> from, String to) {
    Enrollment current = require(id);
    Timestamp now = Timestamp.from(Instant.now());
    // waits for a running chunk's lock on the row, so the answer reflects the last chunk
    int changed = jdbc.sql("UPDATE enrollment SET status = ?, updated_at = ?, finished_at = ? WHERE id = ? AND status IN ("
            + "?, ".repeat(from.size() - 1) + "?)")
        .param(to).param(now).param(Enrollment.CANCELLED.equals(to) ? now : null).param(id).params(from)
        .update();
    if (changed == 0) {
      throw new Conflict("enrollment-state", "Enrollment " + id + " is " + require(id).status()
          + "; it can be set to " + to + " only when " + String.join(" or ", from));
    }
    return require(current.id());
  }

  private Enrollment row(ResultSet rs, int n) throws SQLException {
    String id = rs.getString("id");
    Map<String, Long> reasons = new LinkedHashMap<>();
    jdbc.sql("SELECT reason, COUNT(*) FROM enrollment_member WHERE enrollment_id = ? AND outcome = 'skipped' GROUP BY reason ORDER BY reason")
        .param(id).query(r -> {
          reasons.put(r.getString(1), r.getLong(2));
        });
    long total = rs.getLong("total");
    long scanned = rs.getLong("scanned");
    long enrolled = rs.getLong("enrolled");
    double seconds = rs.getLong("active_millis") / 1000.0;
    double rate = seconds > 0 ? enrolled / seconds : 0;
    String status = rs.getString("status");
    Long eta = null;
    if (Enrollment.RUNNING.equals(status) || Enrollment.PAUSED.equals(status)) {
      eta = scanned > 0 && seconds > 0 ? Math.round(Math.max(0, total - scanned) / (scanned / seconds)) : null;
    } else if (Enrollment.COMPLETED.equals(status)) {
      eta = 0L;
    }
    Timestamp finished = rs.getTimestamp("finished_at");
    return new Enrollment(id, rs.getString("journey_key"), rs.getString("segment_key"), rs.getInt("segment_version"),
        status, total, scanned, enrolled, rs.getLong("skipped"), reasons, rs.getLong("undecided"), rs.getLong("failed"),
        Math.round(rate * 10) / 10.0, eta, rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
        finished == null ? null : finished.toInstant());
  }
}
