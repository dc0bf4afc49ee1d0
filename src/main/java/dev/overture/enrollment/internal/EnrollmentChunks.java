package dev.overture.enrollment.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.enrollment.Enrollment;
import dev.overture.journey.JourneyEntry;
import dev.overture.journey.Journeys;
import dev.overture.segment.Segment;
import dev.overture.segment.Segments;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One chunk of an enrollment in one transaction: lock the enrollment row, evaluate the next page of
 * profiles after the cursor, start the members' journeys, write a row per member and move the
 * cursor. Everything commits together or not at all, so a crash at any point leaves the cursor
 * before exactly the profiles that did not enter; the (enrollment, profile) primary key refuses a
 * second start even if that reasoning ever broke.
 */
@Component
public class EnrollmentChunks {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final Segments segments;
  private final Journeys journeys;
  private final Consents consents;
  private final ObjectMapper json;

  EnrollmentChunks(JdbcClient jdbc, TransactionTemplate tx, Segments segments, Journeys journeys, Consents consents,
      ObjectMapper json) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.segments = segments;
    this.journeys = journeys;
    this.consents = consents;
    this.json = json;
  }

  private record State(String journeyKey, Segment segment, Map<String, Object> variables, Channel channel,
      Purpose purpose, String status, String cursor) {}

  private record Row(String profileId, String outcome, String reason, String detail, String entryId) {}

  /** Runs the next chunk; false when the enrollment has nothing more to do (finished, paused, cancelled). */
  public boolean run(String enrollmentId, int size) {
    Boolean more = tx.execute(s -> {
      long started = System.nanoTime();
      State st = lock(enrollmentId);
      if (st == null || !Enrollment.RUNNING.equals(st.status())) {
        return false;
      }
      Segments.ScanPage page = segments.scan(st.segment(), st.cursor(), size);
      List<Row> rows = new ArrayList<>();
      List<String> members = new ArrayList<>();
      for (Segments.Evaluated e : page.results()) {
        if (e.member()) {
          members.add(e.profileId());
        } else {
          rows.add(new Row(e.profileId(), "undecided", "evaluation-failed", truncate(e.failure()), null));
        }
      }
      if (st.channel() != null && !members.isEmpty()) {
        Set<String> allowed = consents.allowing(members, st.channel(), st.purpose());
        members.stream().filter(id -> !allowed.contains(id))
            .forEach(id -> rows.add(new Row(id, "skipped", "no-consent", null, null)));
        members.removeIf(id -> !allowed.contains(id));
      }
      Map<String, String> refused = journeys.refusedEntries(st.journeyKey(), members);
      refused.forEach((id, reason) -> rows.add(new Row(id, "skipped", reason, null, null)));
      members.removeIf(refused::containsKey);
      for (JourneyEntry entry : journeys.enterAll(st.journeyKey(), members, st.variables())) {
        rows.add(new Row(entry.profileId(), "enrolled", null, null, entry.entryId()));
      }
      insert(enrollmentId, rows);
      advance(enrollmentId, page, rows, started);
      return page.last() != null;
    });
    return Boolean.TRUE.equals(more);
  }

  /**
   * After a chunk failed as a whole: the next profile on its own. If starting it fails too, it is
   * recorded as failed with the error, and the cursor moves past it, so one bad profile cannot stop
   * the enrollment.
   */
  public boolean runOneOrRecordFailure(String enrollmentId) {
    try {
      return run(enrollmentId, 1);
    } catch (RuntimeException firstTry) {
      Boolean more = tx.execute(s -> {
        long started = System.nanoTime();
        State st = lock(enrollmentId);
        if (st == null || !Enrollment.RUNNING.equals(st.status())) {
          return false;
        }
        Segments.ScanPage page = segments.scan(st.segment(), st.cursor(), 1);
        List<Row> rows = page.results().stream()
            .map(e -> new Row(e.profileId(), "failed", "start-failed", truncate(String.valueOf(firstTry.getMessage())), null))
            .toList();
        insert(enrollmentId, rows);
        advance(enrollmentId, page, rows, started);
        return page.last() != null;
      });
      return Boolean.TRUE.equals(more);
    }
  }

  private State lock(String id) {
    return jdbc.sql("SELECT * FROM enrollment WHERE id = ? FOR UPDATE").param(id)
        .query((rs, n) -> {
          String channel = rs.getString("consent_channel");
          Segment segment = segments.version(rs.getString("segment_key"), rs.getInt("segment_version")).orElseThrow();
          return new State(rs.getString("journey_key"), segment, read(rs.getString("variables")),
              channel == null ? null : Consents.channel(channel),
              channel == null ? null : Consents.purpose(rs.getString("consent_purpose")),
              rs.getString("status"), rs.getString("cursor_profile_id"));
        })
        .optional().orElse(null);
  }

  private void insert(String enrollmentId, List<Row> rows) {
    if (rows.isEmpty()) {
      return;
    }
    List<Object> params = new ArrayList<>(rows.size() * 6);
    for (Row r : rows) {
      params.add(enrollmentId);
      params.add(r.profileId());
      params.add(r.outcome());
      params.add(r.reason());
      params.add(r.detail());
      params.add(r.entryId());
    }
    jdbc.sql("INSERT INTO enrollment_member (enrollment_id, profile_id, outcome, reason, detail, entry_id) VALUES "
            + String.join(", ", Collections.nCopies(rows.size(), "(?, ?, ?, ?, ?, ?)")))
        .params(params).update();
  }

  private void advance(String enrollmentId, Segments.ScanPage page, List<Row> rows, long startedNanos) {
    long enrolled = rows.stream().filter(r -> r.outcome().equals("enrolled")).count();
    long skipped = rows.stream().filter(r -> r.outcome().equals("skipped")).count();
    long undecided = rows.stream().filter(r -> r.outcome().equals("undecided")).count();
    long failed = rows.stream().filter(r -> r.outcome().equals("failed")).count();
    boolean done = page.last() == null;
    Timestamp now = Timestamp.from(Instant.now());
    jdbc.sql("""
            UPDATE enrollment SET cursor_profile_id = COALESCE(?, cursor_profile_id), scanned = scanned + ?,
              enrolled = enrolled + ?, skipped = skipped + ?, undecided = undecided + ?, failed = failed + ?,
              active_millis = active_millis + ?, updated_at = ?, status = ?, finished_at = ?
            WHERE id = ?""")
        .params(page.last(), page.scanned(), enrolled, skipped, undecided, failed,
            (System.nanoTime() - startedNanos) / 1_000_000, now, done ? Enrollment.COMPLETED : Enrollment.RUNNING,
            done ? now : null, enrollmentId)
        .update();
  }

  private Map<String, Object> read(String text) {
    try {
      return json.readValue(text, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("enrollment variables are not JSON", e);
    }
  }

  private static String truncate(String s) {
    return s == null || s.length() <= 500 ? s : s.substring(0, 497) + "...";
  }
}
