package dev.overture.enrollment.internal;

import dev.overture.journey.Journeys;
import dev.overture.segment.Segments;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * One batch of marked profiles, in the caller's transaction: for each segment that a live journey enters on, which of
 * them are members now, against the membership stored from their last evaluation. A member without a row has entered:
 * its row is written and it enters every such journey whose re-entry rule (and pause, and journey cap) lets it in, as an
 * audience enrollment's chunk enters its members. A row without a member has left: the row goes, so a later
 * qualification is an entry again.
 */
@Component
class SegmentEntryBatch {

  private static final Logger log = LoggerFactory.getLogger(SegmentEntryBatch.class);
  /** The variable that tells a journey which segment its profile entered. */
  static final String ENTRY_SEGMENT = "entrySegment";

  private final JdbcClient jdbc;
  private final Journeys journeys;
  private final Segments segments;
  private final Clock clock;
  private final MeterRegistry meters;

  SegmentEntryBatch(JdbcClient jdbc, Journeys journeys, Segments segments, Clock clock, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.journeys = journeys;
    this.segments = segments;
    this.clock = clock;
    this.meters = meters;
  }

  @Transactional(propagation = Propagation.MANDATORY)
  public void evaluate(List<String> profileIds) {
    if (profileIds.isEmpty()) {
      return;
    }
    journeys.liveSegmentEntries().forEach((segment, journeyKeys) -> evaluate(segment, journeyKeys, profileIds));
  }

  private void evaluate(String segment, List<String> journeyKeys, List<String> profileIds) {
    Map<String, Boolean> now = segments.members(segment, profileIds);
    if (now.isEmpty()) {
      log.warn("Journeys {} enter on segment '{}', which does not exist: nobody enters", journeyKeys, segment);
      return;
    }
    Set<String> before = new HashSet<>(jdbc.sql("SELECT profile_id FROM segment_membership WHERE segment_key = :s AND profile_id IN (:ids)")
        .param("s", segment).param("ids", profileIds).query(String.class).list());
    List<String> entered = new ArrayList<>();
    List<String> left = new ArrayList<>();
    for (String id : profileIds) {
      boolean member = Boolean.TRUE.equals(now.get(id));
      if (member && !before.contains(id)) {
        entered.add(id);
      } else if (!member && before.contains(id)) {
        left.add(id);
      }
    }
    if (!left.isEmpty()) {
      jdbc.sql("DELETE FROM segment_membership WHERE segment_key = :s AND profile_id IN (:ids)")
          .param("s", segment).param("ids", left).update();
    }
    if (entered.isEmpty()) {
      return;
    }
    Timestamp at = Timestamp.from(clock.instant());
    List<Object> params = new ArrayList<>(entered.size() * 3);
    entered.forEach(id -> params.addAll(List.of(segment, id, at)));
    jdbc.sql("INSERT INTO segment_membership (segment_key, profile_id, entered_at) VALUES "
            + String.join(", ", Collections.nCopies(entered.size(), "(?, ?, ?)")))
        .params(params).update();
    for (String journeyKey : journeyKeys) {
      enter(journeyKey, segment, entered);
    }
  }

  private void enter(String journeyKey, String segment, List<String> entered) {
    Map<String, String> refused = journeys.refusedEntries(journeyKey, entered);
    refused.forEach((id, reason) ->
        log.info("Profile {} entered segment '{}' but does not enter journey '{}': {}", id, segment, journeyKey, reason));
    List<String> admitted = entered.stream().filter(id -> !refused.containsKey(id)).toList();
    if (!admitted.isEmpty()) {
      journeys.enterAll(journeyKey, admitted, Map.of(ENTRY_SEGMENT, segment));
      meters.counter("overture.journeys.entries.segment", "journey", journeyKey).increment(admitted.size());
    }
  }
}
