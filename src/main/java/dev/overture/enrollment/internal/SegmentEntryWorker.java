package dev.overture.enrollment.internal;

import dev.overture.platform.Backoff;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Evaluates the profiles that {@link SegmentEntryQueue} marked, a batch per transaction: the marks are claimed with
 * {@code FOR UPDATE SKIP LOCKED} (so nodes share the work and one profile is evaluated by one node at a time), the
 * profiles evaluated and entered ({@link SegmentEntryBatch}) and the marks deleted in the same transaction. A batch that
 * fails is retried one profile per transaction; a profile that fails alone keeps its mark, due again after a backoff.
 */
@Component
class SegmentEntryWorker extends PollingWorker {

  private static final Logger log = LoggerFactory.getLogger(SegmentEntryWorker.class);
  static final int BATCH = 100;
  private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(2), Duration.ofHours(1));

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final SegmentEntryBatch batch;

  SegmentEntryWorker(JdbcClient jdbc, TransactionTemplate tx, SegmentEntryBatch batch,
      EnrollmentProperties properties) {
    super("segment-entry-worker", properties.pollInterval(), properties.workerEnabled());
    this.jdbc = jdbc;
    this.tx = tx;
    this.batch = batch;
  }

  @Override
  protected boolean round() {
    // an idle node looks without a transaction: one read, no commit
    if (jdbc.sql("SELECT COUNT(*) FROM (SELECT 1 FROM segment_entry_pending WHERE due_at <= ? LIMIT 1) due")
        .param(Timestamp.from(java.time.Instant.now())).query(Integer.class).single() == 0) {
      return false;
    }
    try {
      return Boolean.TRUE.equals(tx.execute(s -> {
        List<String> ids = claim(BATCH, null);
        batch.evaluate(ids);
        delete(ids);
        return ids.size() == BATCH;
      }));
    } catch (RuntimeException e) {
      if (!active()) {
        return false;
      }
      log.warn("Segment entries: a batch failed and was rolled back; evaluating its profiles one at a time", e);
      return oneByOne();
    }
  }

  /** The due marks, one transaction each, so that one profile whose journey cannot start holds up no other. */
  private boolean oneByOne() {
    List<String> due = jdbc.sql("SELECT profile_id FROM segment_entry_pending WHERE due_at <= ? ORDER BY due_at LIMIT " + BATCH)
        .param(Timestamp.from(java.time.Instant.now())).query(String.class).list();
    for (String id : due) {
      try {
        tx.executeWithoutResult(s -> {
          List<String> ids = claim(1, id);
          batch.evaluate(ids);
          delete(ids);
        });
      } catch (RuntimeException e) {
        backOff(id, e);
      }
    }
    return false;
  }

  private List<String> claim(int limit, String only) {
    return jdbc.sql("SELECT profile_id FROM segment_entry_pending WHERE due_at <= ?"
            + (only == null ? "" : " AND profile_id = ?") + " ORDER BY due_at LIMIT " + limit + " FOR UPDATE SKIP LOCKED")
        .params(only == null ? List.of(Timestamp.from(java.time.Instant.now())) : List.of(Timestamp.from(java.time.Instant.now()), only))
        .query(String.class).list();
  }

  private void delete(List<String> ids) {
    if (!ids.isEmpty()) {
      jdbc.sql("DELETE FROM segment_entry_pending WHERE profile_id IN (:ids)").param("ids", ids).update();
    }
  }

  /** Keeps the mark, due again after 2^attempts seconds (at most an hour): the entry is not lost, only late. */
  private void backOff(String profileId, RuntimeException e) {
    log.error("Segment entries: profile {} could not be evaluated or entered; trying again later", profileId, e);
    String message = String.valueOf(e.getMessage());
    try {
      tx.executeWithoutResult(s -> {
        int attempts = jdbc.sql("SELECT attempts FROM segment_entry_pending WHERE profile_id = ?").param(profileId)
            .query(Integer.class).optional().orElse(0) + 1;
        // no jitter: one worker per node takes marks in due order, so failed profiles do not retry in a herd
        Duration wait = BACKOFF.ceiling(attempts);
        jdbc.sql("UPDATE segment_entry_pending SET attempts = ?, due_at = ?, last_error = ? WHERE profile_id = ?")
            .params(attempts, Timestamp.from(java.time.Instant.now().plus(wait)),
                message.length() > 1000 ? message.substring(0, 1000) : message, profileId)
            .update();
      });
    } catch (RuntimeException again) {
      log.warn("Segment entries: could not record the failure of profile {}", profileId, again);
    }
  }
}
