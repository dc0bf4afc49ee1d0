package dev.overture.journey;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.overture.journey.internal.JourneyDefinitions.Definition;
import dev.overture.journey.internal.JourneyDefinitions;
import dev.overture.journey.internal.JourneyStates;
import dev.overture.journey.internal.JourneyVersionStore;
import dev.overture.platform.NotFound;
import dev.overture.profile.Profiles;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ActivityInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.runtime.TransitionInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The journey catalog and lifecycle: what is deployed (customer journeys only, not the approval
 * processes for staff), pausing a journey for new entries (and optionally suspending its running
 * instances), taking a profile out of a journey, and the journeys a profile has been in.
 */
@Service
public class JourneyCatalog {

  private static final Logger log = LoggerFactory.getLogger(JourneyCatalog.class);

  /** The delete reason of an instance ended by {@link #exit}; journey analytics tell exits from ends by it. */
  public static final String EXITED_BY_API = "exited by API";

  private final JourneyDefinitions definitions;
  private final JourneyStates states;
  private final RuntimeService runtime;
  private final Journeys journeys;
  private final Profiles profiles;
  private final JourneyVersionStore versionStore;

  JourneyCatalog(JourneyDefinitions definitions, JourneyStates states, RuntimeService runtime, Journeys journeys,
      Profiles profiles, JourneyVersionStore versionStore) {
    this.versionStore = versionStore;
    this.definitions = definitions;
    this.states = states;
    this.runtime = runtime;
    this.journeys = journeys;
    this.profiles = profiles;
  }

  /**
   * One deployed version and its instances that have not ended ({@code suspended} of them suspended); its state
   * ({@code draft}, {@code in_review}, {@code live}, {@code retired}), who wrote it, who asked for and who did its
   * review, and when (null where it has not happened).
   */
  public record Version(int version, String processDefinitionId, long running, long suspended, String state,
      @Nullable String author, Instant deployedAt, @Nullable String requestedBy, @Nullable Instant requestedAt,
      @Nullable String reviewer, @Nullable Instant reviewedAt, @Nullable String reviewComment, @Nullable Instant liveSince,
      @Nullable Instant retiredAt) {}

  /**
   * A journey as the catalog shows it; {@code goal} is the event type its BPMN names as goal, or null; then
   * {@code goalCondition} is the FEEL condition on that event's properties (null: any such event) and
   * {@code goalWindow} how long after entry it counts (ISO 8601), both null when there is no goal.
   */
  public record Journey(String key, String name, int latestVersion,
      @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Integer liveVersion, List<Version> versions, String state,
      String reentry, @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String goal,
      @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String goalCondition,
      @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String goalWindow) {}

  /** One of a profile's journey instances; {@code currentSteps} is empty once it has ended. */
  public record ProfileJourney(String processInstanceId, String journeyKey, int version, String state, Instant startedAt,
      @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Instant endedAt,
      @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String endReason,
      List<Step> currentSteps) {}

  /** An activity an instance is at: a task, a wait or an event gateway. */
  public record Step(String activityId, @Nullable String name) {}

  /** Every deployed journey, by key. */
  public List<Journey> list() {
    Map<String, List<Definition>> byKey = new LinkedHashMap<>();
    definitions.all().forEach(d -> byKey.computeIfAbsent(d.key(), k -> new ArrayList<>()).add(d));
    Map<String, String> stored = states.all();
    return byKey.values().stream()
        .filter(versions -> !versions.get(versions.size() - 1).approval())
        .map(versions -> journey(versions, stored.getOrDefault(versions.get(0).key(), JourneyStates.ACTIVE)))
        .toList();
  }

  /** One journey; a 404 problem when no journey of that key is deployed. */
  public Journey get(String journeyKey) {
    List<Definition> versions = definitions.versions(journeyKey);
    if (versions.isEmpty() || versions.get(versions.size() - 1).approval()) {
      throw new UnknownJourney(journeyKey);
    }
    return journey(versions, states.state(journeyKey).map(JourneyStates.State::state).orElse(JourneyStates.ACTIVE));
  }

  private Journey journey(List<Definition> versions, String state) {
    Definition latest = versions.get(versions.size() - 1);
    Map<String, JourneyVersion> recorded = new java.util.HashMap<>();
    versionStore.of(latest.key()).forEach(v -> recorded.put(v.processDefinitionId(), v));
    String liveId = definitions.live(latest.key()).map(Definition::id).orElse(null);
    List<Version> out = versions.stream()
        .map(d -> version(d, recorded.get(d.id()), d.id().equals(liveId)))
        .toList();
    Optional<Definition> liveVersion = versions.stream().filter(d -> d.id().equals(liveId)).findFirst();
    // name, re-entry rule and goal are what entries meet: the live version's, a draft's only while none is live
    Definition shown = liveVersion.orElse(latest);
    return new Journey(latest.key(), shown.name(), latest.version(), liveVersion.map(Definition::version).orElse(null), out, state,
        shown.reentry().value(), shown.goal(), shown.goalCondition(), shown.goal() == null ? null : JourneyGoals.iso(shown.goalWindow()));
  }

  /** A version as the catalog shows it; one deployed before versions were kept is live if it is the latest, else retired. */
  private Version version(Definition d, JourneyVersion v, boolean live) {
    long running = runtime.createProcessInstanceQuery().processDefinitionId(d.id()).count();
    long suspended = runtime.createProcessInstanceQuery().processDefinitionId(d.id()).suspended().count();
    if (v == null) {
      return new Version(d.version(), d.id(), running, suspended, live ? JourneyVersion.LIVE : JourneyVersion.RETIRED, null, null,
          null, null, null, null, null, null, null);
    }
    return new Version(d.version(), d.id(), running, suspended, v.state(), v.author(), v.deployedAt(), v.requestedBy(),
        v.requestedAt(), v.reviewer(), v.reviewedAt(), v.reviewComment(), v.liveSince(), v.retiredAt());
  }

  /**
   * Stops new entries into the journey on every node; with {@code suspendRunning} its running instances
   * (of every version) are suspended too, through the engine's suspension API, in the same transaction.
   * Pausing a paused journey again only adds the suspension if asked for.
   */
  @Transactional
  public Journey pause(String journeyKey, boolean suspendRunning, String by) {
    get(journeyKey);
    boolean suspendedBefore = states.lock(journeyKey).map(JourneyStates.State::runningSuspended).orElse(false);
    if (suspendRunning) {
      runtime.updateProcessInstanceSuspensionState().byProcessDefinitionKey(journeyKey).suspend();
    }
    states.set(journeyKey, JourneyStates.PAUSED, suspendedBefore || suspendRunning, by);
    log.info("Journey '{}' paused by {}{}", journeyKey, by, suspendRunning ? ", running instances suspended" : "");
    return get(journeyKey);
  }

  /**
   * Lets new entries in again; if the pause suspended the running instances, they are reactivated
   * (instances suspended otherwise, e.g. in Cockpit, stay as they are unless the pause suspended them).
   */
  @Transactional
  public Journey resume(String journeyKey, String by) {
    get(journeyKey);
    boolean suspended = states.lock(journeyKey).map(JourneyStates.State::runningSuspended).orElse(false);
    if (suspended) {
      runtime.updateProcessInstanceSuspensionState().byProcessDefinitionKey(journeyKey).activate();
    }
    states.set(journeyKey, JourneyStates.ACTIVE, false, by);
    log.info("Journey '{}' resumed by {}", journeyKey, by);
    return get(journeyKey);
  }

  /**
   * Ends the profile's running instances of the journey, under its id and the ids merged into it, with
   * the delete reason {@value #EXITED_BY_API}; a 404 problem when none runs. Returns how many ended.
   */
  @Transactional
  public int exit(String journeyKey, String requestedProfileId) {
    get(journeyKey);
    String profileId = profiles.canonicalId(requestedProfileId).orElse(requestedProfileId);
    List<String> ids = journeys.activeInstances(journeyKey, profileId).stream().map(ProcessInstance::getId).toList();
    if (ids.isEmpty()) {
      throw new NotFound("journey-instance",
          "Profile " + requestedProfileId + " is not in journey '" + journeyKey + "'");
    }
    // listeners run (an end listener may record the exit); the instance counts as ended from outside
    runtime.deleteProcessInstances(ids, EXITED_BY_API, false, true);
    log.info("Profile {} exited journey '{}' by API ({} instance(s))", profileId, journeyKey, ids.size());
    return ids.size();
  }

  /**
   * The profile's journey instances, running and ended, under its id and the ids merged into it, oldest
   * first, with the current steps of the running ones; a 404 problem for an unknown profile.
   */
  public List<ProfileJourney> ofProfile(String requestedProfileId) {
    String profileId = profiles.canonicalId(requestedProfileId).orElse(requestedProfileId);
    if (!profiles.exists(profileId)) {
      throw new NotFound("profile", "No profile with id " + requestedProfileId);
    }
    // the journey log has every instance (journeys keep no Camunda history); the runtime their current steps
    return journeys.runsOf(journeys.businessKeys(profileId)).stream()
        .map(r -> new ProfileJourney(r.processInstanceId(), r.journeyKey(), r.version(), state(r), r.startedAt(), r.endedAt(),
            r.endReason(), r.endedAt() == null ? steps(r.processInstanceId()) : List.of()))
        .toList();
  }

  /** As Camunda names an instance's state: active or suspended while it runs; completed, or externally_terminated when ended from outside. */
  private String state(JourneyRun run) {
    if (run.endedAt() == null) {
      ProcessInstance pi = runtime.createProcessInstanceQuery().processInstanceId(run.processInstanceId()).singleResult();
      return pi != null && pi.isSuspended() ? "suspended" : "active";
    }
    return switch (run.endReason() == null ? "" : run.endReason()) {
      case "exited_by_api", "cancelled", "erased" -> "externally_terminated";
      default -> "completed";
    };
  }

  /** The leaves of the instance's activity tree: where its tokens are (a transition instance waits to start one). */
  private List<Step> steps(String processInstanceId) {
    ActivityInstance root = runtime.getActivityInstance(processInstanceId);
    List<Step> out = new ArrayList<>();
    if (root != null) {
      leaves(root, out);
    }
    return out;
  }

  private static void leaves(ActivityInstance scope, List<Step> out) {
    for (TransitionInstance t : scope.getChildTransitionInstances()) {
      out.add(new Step(t.getActivityId(), t.getActivityName()));
    }
    for (ActivityInstance child : scope.getChildActivityInstances()) {
      if (child.getChildActivityInstances().length == 0 && child.getChildTransitionInstances().length == 0) {
        out.add(new Step(child.getActivityId(), child.getActivityName()));
      } else {
        leaves(child, out);
      }
    }
  }
}
