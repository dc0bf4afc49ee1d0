package dev.overture.journey.internal;

import dev.overture.journey.JourneyVersion;
import dev.overture.platform.FourEyesViolation;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The review of a journey version: what the Tasklist form shows (the change against the live version) and the
 * decision, four-eyes rule first. Messages are written for the person in Tasklist, who sees them when a completion is
 * refused.
 */
@Component
public class VersionReviews {

  private static final Logger log = LoggerFactory.getLogger(VersionReviews.class);

  private final JourneyVersionStore store;
  private final ProcessEngine engine;
  private final Clock clock;

  VersionReviews(JourneyVersionStore store, ProcessEngine engine, Clock clock) {
    this.store = store;
    this.engine = engine;
    this.clock = clock;
  }

  /** The review process's variables: which version, against which live one, who asks, and what changes. */
  public Map<String, Object> variables(String journeyKey, JourneyVersion candidate, String liveDefinitionId, Integer liveVersion,
      String requestedBy) {
    BpmnModelInstance live = liveDefinitionId == null ? null : engine.getRepositoryService().getBpmnModelInstance(liveDefinitionId);
    Map<String, Object> vars = new HashMap<>();
    vars.put("journeyKey", journeyKey);
    vars.put("version", candidate.version());
    vars.put("liveVersion", liveVersion == null ? "none" : "v" + liveVersion);
    vars.put("author", candidate.author() == null ? "the start-up deployment" : candidate.author());
    vars.put("requestedBy", requestedBy);
    vars.put("requestKind", JourneyVersion.RETIRED.equals(candidate.state()) ? "Roll back to a retired version" : "Publish a new version");
    vars.put("changes", VersionChanges.describe(live,
        engine.getRepositoryService().getBpmnModelInstance(candidate.processDefinitionId()), journeyKey));
    return vars;
  }

  /** The reviewer's decision on the version under review; see {@code JourneyVersions#decide}. */
  public void decide(String journeyKey, int version, String reviewer, String decision, String comment) {
    List<JourneyVersion> rows = store.lock(journeyKey);
    JourneyVersion row = rows.stream().filter(r -> r.version() == version).findFirst()
        .orElseThrow(() -> new IllegalStateException("No version " + version + " of journey " + journeyKey));
    if (!JourneyVersion.IN_REVIEW.equals(row.state())) {
      throw new FourEyesViolation("Version " + version + " of '" + journeyKey + "' is no longer in review (it is " + row.state() + ").");
    }
    if (reviewer == null) {
      throw new FourEyesViolation("Claim the task before completing it: every decision is recorded with its reviewer.");
    }
    if (reviewer.equals(row.author()) || reviewer.equals(person(row.requestedBy()))) {
      throw new FourEyesViolation("Four-eyes rule: you (" + reviewer + ") " + (reviewer.equals(row.author()) ? "wrote" : "asked for")
          + " version " + version + " of journey '" + journeyKey + "' and cannot review it. Unclaim the task so that another "
          + "compliance officer can decide.");
    }
    Instant now = clock.instant();
    switch (decision == null ? "" : decision) {
      case "approve" -> {
        for (JourneyVersion other : rows) {
          if (JourneyVersion.LIVE.equals(other.state())) {
            store.retired(other.processDefinitionId(), now);
            VersionSuspensions.retire(engine, other.processDefinitionId(), true);
          }
        }
        store.live(row.processDefinitionId(), reviewer, comment == null || comment.isBlank() ? null : comment, now);
        VersionSuspensions.live(engine, row.processDefinitionId());
        log.info("Journey '{}' version {} is live, approved by {}", journeyKey, version, reviewer);
      }
      case "reject" -> {
        if (comment == null || comment.isBlank()) {
          throw new FourEyesViolation("A rejection needs a comment: tell the author what to change.");
        }
        store.rejected(row.processDefinitionId(), reviewer, comment, now);
        log.info("Journey '{}' version {} rejected by {}", journeyKey, version, reviewer);
      }
      default -> throw new FourEyesViolation("Choose a decision: approve or reject.");
    }
    JourneyDefinitions.localDeploymentParsed();
  }

  /** "user:jane" as "jane": who asked, as Tasklist names the reviewer. */
  private static String person(String caller) {
    return caller != null && caller.startsWith("user:") ? caller.substring(5) : caller;
  }
}
