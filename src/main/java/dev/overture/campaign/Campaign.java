package dev.overture.campaign;

import java.time.Instant;
import java.util.List;
import org.springframework.lang.Nullable;

/** A campaign with where its launch stands: status, the open task, and every decision taken so far. */
public record Campaign(String id, String key, String name, String journeyKey, @Nullable String segmentKey,
    @Nullable String profileId,
    List<String> creativeKeys, Instant startAt, Instant endAt, String author, String status,
    @Nullable String processInstanceId, long enrolled, Instant createdAt, @Nullable CurrentTask currentTask,
    List<AuditEntry> audit) {

  public static final String IN_CREATIVE_REVIEW = "in_creative_review";
  public static final String IN_COMPLIANCE_REVIEW = "in_compliance_review";
  public static final String NEEDS_REVISION = "needs_revision";
  public static final String SCHEDULED = "scheduled";
  public static final String RUNNING = "running";
  public static final String CLOSED = "closed";
  public static final String WITHDRAWN = "withdrawn";

  /** The user task waiting for someone, if any. */
  public record CurrentTask(String id, String key, @Nullable String name, @Nullable String assignee,
      List<String> candidateGroups,
      Instant created) {}

  /** One line of the audit trail: who decided what, on which creative versions, when, and why. */
  public record AuditEntry(String step, String actor, String decision, @Nullable String creativeVersions,
      @Nullable String comment,
      Instant at) {}
}
