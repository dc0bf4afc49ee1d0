package dev.overture.enrollment.internal;

import dev.overture.enrollment.Enrollment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The background thread that walks running enrollments chunk by chunk, taking turns between them.
 * It keeps no state that matters: on start-up it finds running enrollments in the database and
 * continues each from its cursor, so a restarted app resumes where the last commit left off.
 * A chunk that fails as a whole is retried one profile at a time, so that one profile whose journey
 * cannot start is recorded as failed instead of stopping the enrollment.
 */
@Component
public class EnrollmentWorker extends PollingWorker {

  private static final Logger log = LoggerFactory.getLogger(EnrollmentWorker.class);

  private final EnrollmentChunks chunks;
  private final JdbcClient jdbc;
  private final EnrollmentProperties properties;
  private final Map<String, Integer> singleSteps = new HashMap<>();

  EnrollmentWorker(EnrollmentChunks chunks, JdbcClient jdbc, EnrollmentProperties properties) {
    super("enrollment-worker", properties.pollInterval(), properties.workerEnabled());
    this.chunks = chunks;
    this.jdbc = jdbc;
    this.properties = properties;
  }

  @Override
  protected boolean round() {
    boolean more = false;
    List<String> ids = jdbc.sql("SELECT id FROM enrollment WHERE status = ? ORDER BY created_at, id")
        .param(Enrollment.RUNNING).query(String.class).list();
    for (String id : ids) {
      if (!active()) {
        return false;
      }
      more |= step(id);
    }
    return more;
  }

  private boolean step(String id) {
    Integer left = singleSteps.get(id);
    try {
      if (left == null) {
        return chunks.run(id, properties.chunkSize());
      }
      boolean more = chunks.runOneOrRecordFailure(id);
      if (left <= 1 || !more) {
        singleSteps.remove(id);
      } else {
        singleSteps.put(id, left - 1);
      }
      return more;
    } catch (RuntimeException e) {
      if (!active()) {
        return false;
      }
      if (left == null) {
        log.warn("Enrollment {}: a chunk failed and was rolled back; retrying it one profile at a time", id, e);
        singleSteps.put(id, properties.chunkSize());
        return true;
      }
      log.warn("Enrollment {}: could not record a failed profile; retrying after {}", id, properties.pollInterval(), e);
      return false;
    }
  }
}
