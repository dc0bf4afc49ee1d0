package dev.overture.enrollment;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.platform.Conflict;
import dev.overture.platform.InvalidInput;
import dev.overture.platform.NotFound;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Recurring enrollment: a cron schedule that enrolls a segment's members into a journey at each occurrence, through
 * {@link Enrollments#start}, so the re-entry rule, consent requirement, pause and journey cap apply as to any
 * enrollment. One run per schedule and occurrence, whichever node gets there first: the run's primary key
 * (schedule, occurrence) and the schedule row's lock decide. After downtime the latest missed occurrence runs once and
 * counts the others it stands in for.
 */
@Service
public class EnrollmentSchedules {

  private static final Logger log = LoggerFactory.getLogger(EnrollmentSchedules.class);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  /** How many missed occurrences a late run counts through before it stops counting (an every-second cron after a week). */
  private static final int MAX_MISSED_COUNTED = 1_000_000;

  private final JdbcClient jdbc;
  private final Enrollments enrollments;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final ObjectMapper json;

  EnrollmentSchedules(JdbcClient jdbc, Enrollments enrollments, TransactionTemplate tx, Clock clock, ObjectMapper json) {
    this.jdbc = jdbc;
    this.enrollments = enrollments;
    this.tx = tx;
    this.clock = clock;
    this.json = json;
  }

  /**
   * A new active schedule; its first run is the cron's first occurrence after now. 404 for an unknown journey or
   * segment, 400 for a cron expression, time zone or consent requirement that does not parse.
   */
  public EnrollmentSchedule create(String journeyKey, String segmentKey, String cron, String timeZone,
      Map<String, Object> variables, Enrollments.ConsentRequirement requireConsent, String createdBy) {
    enrollments.audience(journeyKey, segmentKey);
    CronExpression expression = parse(cron);
    ZoneId zone = zone(timeZone);
    String[] consent = Enrollments.consentKeys(requireConsent);
    String vars = enrollments.variablesJson(variables);
    Instant now = clock.instant();
    Instant next = next(expression, zone, now);
    String id = UUID.randomUUID().toString();
    jdbc.sql("""
            INSERT INTO enrollment_schedule (id, journey_key, segment_key, cron, time_zone, variables, consent_channel,
              consent_purpose, status, next_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
        .params(id, journeyKey, segmentKey, cron.trim(), zone.getId(), vars, consent[0], consent[1], EnrollmentSchedule.ACTIVE,
            Timestamp.from(next), createdBy, Timestamp.from(now))
        .update();
    return require(id);
  }

  public Optional<EnrollmentSchedule> find(String id) {
    return jdbc.sql("SELECT * FROM enrollment_schedule WHERE id = ?").param(id).query(this::row).optional();
  }

  public EnrollmentSchedule require(String id) {
    return find(id).orElseThrow(() -> new NotFound("enrollment-schedule", "No enrollment schedule with id " + id));
  }

  /** The journey's schedules, oldest first, stopped ones included. */
  public List<EnrollmentSchedule> ofJourney(String journeyKey) {
    return jdbc.sql("SELECT * FROM enrollment_schedule WHERE journey_key = ? ORDER BY created_at, id").param(journeyKey)
        .query(this::row).list();
  }

  /** No more runs; the runs so far stay in its history and their enrollments go on. 409 when it is stopped already. */
  public EnrollmentSchedule stop(String id) {
    require(id);
    int changed = jdbc.sql("UPDATE enrollment_schedule SET status = ? WHERE id = ? AND status = ?")
        .params(EnrollmentSchedule.STOPPED, id, EnrollmentSchedule.ACTIVE).update();
    if (changed == 0) {
      throw new Conflict("enrollment-schedule-stopped", "Enrollment schedule " + id + " is stopped already");
    }
    return require(id);
  }

  /** The schedule's runs, newest occurrence first (at most {@code limit}), each with its enrollment's outcome. */
  public List<EnrollmentSchedule.Run> runs(String id, int limit) {
    require(id);
    return jdbc.sql("SELECT * FROM enrollment_schedule_run WHERE schedule_id = ? ORDER BY occurrence_at DESC LIMIT ?")
        .params(id, limit)
        .query((rs, n) -> {
          String enrollmentId = rs.getString("enrollment_id");
          Optional<Enrollment> e = enrollmentId == null ? Optional.empty() : enrollments.find(enrollmentId);
          return new EnrollmentSchedule.Run(id, rs.getTimestamp("occurrence_at").toInstant(),
              rs.getTimestamp("started_at").toInstant(), rs.getInt("missed"), enrollmentId,
              e.map(Enrollment::status).orElse("failed"), e.map(Enrollment::finishedAt).orElse(null),
              e.map(Enrollment::enrolled).orElse(0L), e.map(Enrollment::skippedReasons).orElse(Map.of()),
              e.map(Enrollment::undecided).orElse(0L), e.map(Enrollment::failed).orElse(0L), rs.getString("error"));
        })
        .list();
  }

  /** The ids of active schedules whose next occurrence has come, oldest due first. */
  public List<String> due() {
    return jdbc.sql("SELECT id FROM enrollment_schedule WHERE status = ? AND next_at <= ? ORDER BY next_at LIMIT 50")
        .params(EnrollmentSchedule.ACTIVE, Timestamp.from(clock.instant())).query(String.class).list();
  }

  /**
   * Runs the schedule's due occurrence in one transaction, unless another node holds or has run it: locks the schedule
   * row (skipping it when locked), records the run under its (schedule, occurrence) key, starts the enrollment and
   * moves the next occurrence past now. True when this call ran it.
   */
  public boolean runDue(String id) {
    try {
      return Boolean.TRUE.equals(tx.execute(s -> runLocked(id)));
    } catch (DuplicateKeyException ranElsewhere) {
      log.info("Enrollment schedule {}: its occurrence ran on another node", id);
      return false;
    }
  }

  private boolean runLocked(String id) {
    Instant now = clock.instant();
    Optional<EnrollmentSchedule> locked = jdbc.sql(
            "SELECT * FROM enrollment_schedule WHERE id = ? AND status = ? AND next_at <= ? FOR UPDATE SKIP LOCKED")
        .params(id, EnrollmentSchedule.ACTIVE, Timestamp.from(now)).query(this::row).optional();
    if (locked.isEmpty()) {
      return false;
    }
    EnrollmentSchedule schedule = locked.get();
    CronExpression cron = parse(schedule.cron());
    ZoneId zone = ZoneId.of(schedule.timeZone());
    // the latest occurrence that has come runs; the ones before it since the last run are counted as missed
    Instant occurrence = schedule.nextAt();
    int missed = 0;
    for (Instant n = next(cron, zone, occurrence); !n.isAfter(now) && missed < MAX_MISSED_COUNTED; n = next(cron, zone, n)) {
      occurrence = n;
      missed++;
    }
    jdbc.sql("INSERT INTO enrollment_schedule_run (schedule_id, occurrence_at, started_at, missed) VALUES (?, ?, ?, ?)")
        .params(id, Timestamp.from(occurrence), Timestamp.from(now), missed).update();
    String enrollmentId = null;
    String error = null;
    try {
      enrollmentId = enrollments.start(schedule.journeyKey(), schedule.segmentKey(), schedule.variables(),
          schedule.requireConsent(), "schedule:" + id).id();
    } catch (RuntimeException refused) {
      // a paused or removed journey, a removed segment: this occurrence enrolls nobody, the next ones try again
      error = refused.getMessage();
      log.warn("Enrollment schedule {}: the occurrence {} enrolled nobody: {}", id, occurrence, error);
    }
    jdbc.sql("UPDATE enrollment_schedule_run SET enrollment_id = ?, error = ? WHERE schedule_id = ? AND occurrence_at = ?")
        .params(enrollmentId, error == null || error.length() <= 1000 ? error : error.substring(0, 1000), id,
            Timestamp.from(occurrence))
        .update();
    jdbc.sql("UPDATE enrollment_schedule SET next_at = ? WHERE id = ?")
        .params(Timestamp.from(next(cron, zone, now)), id).update();
    log.info("Enrollment schedule {} ran its occurrence {} ({} missed before it): enrollment {}", id, occurrence, missed,
        enrollmentId);
    return true;
  }

  /**
   * The cron dialect: Unix's five fields (minute, hour, day of month, month, day of week, e.g. {@code 0 9 * * MON}),
   * read by Spring's {@link CronExpression} with a seconds field of 0; Spring's own six fields and its macros
   * ({@code @daily}) as they are.
   */
  static CronExpression parse(String cron) {
    if (cron == null || cron.isBlank()) {
      throw new InvalidInput("invalid-cron", "cron is required, e.g. \"0 9 * * MON\" (minute hour day-of-month month day-of-week)");
    }
    String trimmed = cron.trim();
    String spring = trimmed.startsWith("@") || trimmed.split("\\s+").length != 5 ? trimmed : "0 " + trimmed;
    try {
      return CronExpression.parse(spring);
    } catch (IllegalArgumentException e) {
      throw new InvalidInput("invalid-cron", "cron '" + cron + "' does not parse: " + e.getMessage()
          + "; use five fields (minute hour day-of-month month day-of-week), e.g. \"0 9 * * MON\"");
    }
  }

  private static ZoneId zone(String timeZone) {
    if (timeZone == null || timeZone.isBlank()) {
      return ZoneId.of("UTC");
    }
    try {
      return ZoneId.of(timeZone.trim());
    } catch (DateTimeException e) {
      throw new InvalidInput("invalid-time-zone", "timeZone '" + timeZone + "' is no IANA time zone, e.g. Europe/Berlin");
    }
  }

  private static Instant next(CronExpression cron, ZoneId zone, Instant after) {
    ZonedDateTime n = cron.next(after.atZone(zone));
    if (n == null) {
      throw new InvalidInput("invalid-cron", "the cron expression has no next occurrence");
    }
    return n.toInstant();
  }

  private EnrollmentSchedule row(ResultSet rs, int n) throws SQLException {
    Map<String, Object> vars;
    try {
      vars = json.readValue(rs.getString("variables"), MAP);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("enrollment_schedule " + rs.getString("id") + " has variables that are no JSON", e);
    }
    String channel = rs.getString("consent_channel");
    return new EnrollmentSchedule(rs.getString("id"), rs.getString("journey_key"), rs.getString("segment_key"),
        rs.getString("cron"), rs.getString("time_zone"), vars,
        channel == null ? null : new Enrollments.ConsentRequirement(channel, rs.getString("consent_purpose")),
        rs.getString("status"), rs.getTimestamp("next_at").toInstant(), rs.getString("created_by"),
        rs.getTimestamp("created_at").toInstant());
  }
}
