package dev.overture.journey.internal;

import dev.overture.journey.ReentryRule;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Message;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What Overture needs to know about a deployed journey, read once per process definition from its
 * BPMN model: the re-entry rule and how it can be started (none start event or message start events).
 */
@Component
public class JourneyDefinitions {

  private final RepositoryService repository;
  private static final String ANY_MESSAGE = "\0any";

  private final Map<String, Definition> byId = new ConcurrentHashMap<>();
  private static final java.time.Duration RECHECK = java.time.Duration.ofSeconds(1);
  private static final java.time.Duration EXACT_AFTER_PARSE = java.time.Duration.ofSeconds(30);
  private static volatile long lastLocalParse = System.nanoTime();

  private volatile MessageNames messageNames = new MessageNames("\0none", Set.of(), Set.of(), List.of(), List.of(),
      List.of(), System.nanoTime());
  private final JdbcClient jdbc;

  /** The latest version of each journey asked for, as of one deployment state. */
  private record LatestVersions(String deploymentKey, Map<String, Optional<Definition>> byKey) {}

  private volatile LatestVersions latestVersions = new LatestVersions("\0none", new ConcurrentHashMap<>());
  private volatile LatestVersions liveVersions = new LatestVersions("\0none", new ConcurrentHashMap<>());

  /**
   * The message names of all deployed definitions, those that start a journey, and the versions that declare a goal,
   * as of one deployment state.
   */
  private record MessageNames(String deploymentKey, Set<String> all, Set<String> starts, List<Definition> goals,
      List<Definition> starters, List<Definition> segmentEntered, long checkedAt) {
    MessageNames checked(long at) {
      return new MessageNames(deploymentKey, all, starts, goals, starters, segmentEntered, at);
    }
  }

  JourneyDefinitions(RepositoryService repository, JdbcClient jdbc) {
    this.repository = repository;
    this.jdbc = jdbc;
  }

  /** The {@code camunda:property} on a journey's process that names its goal: the event type that means it worked. */
  public static final String GOAL_PROPERTY = JourneyProcessProperties.GOAL_PROPERTY;

  /** A FEEL condition over the goal event's properties (e.g. {@code value >= 50}); absent: every such event counts. */
  public static final String GOAL_CONDITION_PROPERTY = JourneyProcessProperties.GOAL_CONDITION_PROPERTY;

  /** How long after entry a goal event counts as the journey's conversion: an ISO 8601 duration such as P7D. */
  public static final String GOAL_WINDOW_PROPERTY = JourneyProcessProperties.GOAL_WINDOW_PROPERTY;

  /** Which of a profile's marketing journeys wins a place under the journey cap: a whole number, higher first (default 0). */
  public static final String PRIORITY_PROPERTY = JourneyProcessProperties.PRIORITY_PROPERTY;

  /** The segment whose new members enter the journey (docs/journeys.md#entry-on-segment-qualification). */
  public static final String ENTRY_SEGMENT_PROPERTY = JourneyProcessProperties.ENTRY_SEGMENT_PROPERTY;

  /** The window of a goal that declares none. */
  public static final java.time.Duration DEFAULT_GOAL_WINDOW = JourneyProcessProperties.DEFAULT_GOAL_WINDOW;

  /**
   * One deployed version of a journey. {@code approval} marks a process for people (one with a user task, such
   * as campaign-launch) rather than a customer journey; {@code goal} is null when the BPMN declares none, and then so
   * is {@code goalCondition}; {@code goalWindow} is the declared window or {@link #DEFAULT_GOAL_WINDOW}. {@code marketing}:
   * a customer journey with a Send step whose purpose is marketing (the default purpose), so the journey cap counts it;
   * one whose every Send is transactional, or that sends nothing, is never capped. {@code priority}: {@value #PRIORITY_PROPERTY}.
   * {@code entrySegment}: the {@value #ENTRY_SEGMENT_PROPERTY} key, null when profiles do not enter on a segment.
   */
  public record Definition(String id, String key, String name, int version, ReentryRule reentry, String goal,
      boolean approval, boolean hasNoneStart, List<String> startMessages, String goalCondition,
      java.time.Duration goalWindow, boolean marketing, int priority, String entrySegment) {}

  /** The deployed version with this definition id, read once per id; empty when there is none. */
  public Optional<Definition> byId(String definitionId) {
    Definition known = byId.get(definitionId);
    return known != null ? Optional.of(known) : Optional.ofNullable(
        repository.createProcessDefinitionQuery().processDefinitionId(definitionId).singleResult()).map(this::of);
  }

  /** Every deployed version, of any journey, whose goal is this event type (any, for null; read once per deployment change). */
  public List<Definition> withGoal(String eventType) {
    return messageNames().goals().stream().filter(d -> eventType == null || eventType.equals(d.goal())).toList();
  }

  /** Every deployed version of every process, oldest version first per key. */
  public List<Definition> all() {
    return repository.createProcessDefinitionQuery().orderByProcessDefinitionKey().asc()
        .orderByProcessDefinitionVersion().asc().list().stream().map(this::of).toList();
  }

  /** Every deployed version of one process, oldest first; empty when none is deployed. */
  public List<Definition> versions(String journeyKey) {
    return repository.createProcessDefinitionQuery().processDefinitionKey(journeyKey).orderByProcessDefinitionVersion().asc()
        .list().stream().map(this::of).toList();
  }

  /**
   * The latest deployed version of the journey, remembered per deployment state as {@link #anyListensTo} knows it
   * (a deployment on this node is seen at once, one on another node within {@link #RECHECK}): an entry asks this on
   * every request, and the engine's own lookup by key is a query each time.
   */
  public Optional<Definition> latest(String journeyKey) {
    String deployments = messageNames().deploymentKey();
    LatestVersions known = latestVersions;
    if (!known.deploymentKey().equals(deployments)) {
      known = new LatestVersions(deployments, new ConcurrentHashMap<>());
      latestVersions = known;
    }
    return known.byKey().computeIfAbsent(journeyKey, key -> Optional.ofNullable(
        repository.createProcessDefinitionQuery().processDefinitionKey(key).latestVersion().singleResult()).map(this::of));
  }

  /**
   * The version of the journey that takes entries, events and enrollments: the one {@code journey_version} calls live,
   * or for a journey deployed before versions were kept, its latest. Empty when none is deployed or none is live yet
   * (a new journey's first draft). Remembered as {@link #latest} is, the states of the versions included.
   */
  public Optional<Definition> live(String journeyKey) {
    String deployments = messageNames().deploymentKey();
    LatestVersions known = liveVersions;
    if (!known.deploymentKey().equals(deployments)) {
      known = new LatestVersions(deployments, new ConcurrentHashMap<>());
      liveVersions = known;
    }
    return known.byKey().computeIfAbsent(journeyKey, key -> {
      List<String> states = jdbc.sql("SELECT CONCAT(state, ' ', process_definition_id) FROM journey_version WHERE journey_key = ?")
          .param(key).query(String.class).list();
      if (states.isEmpty()) {
        return latest(key);
      }
      return states.stream().filter(s -> s.startsWith(JourneyVersionStore.LIVE + " ")).findFirst()
          .map(s -> s.substring(JourneyVersionStore.LIVE.length() + 1))
          .map(id -> of(repository.getProcessDefinition(id)));
    });
  }

  /**
   * The live versions of journeys whose top-level message start event is named {@code messageName}. Camunda subscribes
   * only the newest version to its start messages, which may be a draft: the event starts the live one by its id.
   */
  public List<Definition> startedBy(String messageName) {
    MessageNames names = messageNames();
    if (!names.starts().contains(messageName) && !names.starts().contains(ANY_MESSAGE)) {
      return List.of();
    }
    return names.starters().stream()
        .filter(d -> d.startMessages().contains(messageName))
        .filter(d -> live(d.key()).map(Definition::id).filter(d.id()::equals).isPresent())
        .toList();
  }

  /**
   * The live versions that enter a segment's new members, by segment key: empty when no live journey does, and then
   * (after the time-rationed look at the deployments) without a statement, so a profile change asks it every time.
   */
  public Map<String, List<Definition>> liveSegmentEntries() {
    List<Definition> declared = messageNames().segmentEntered();
    if (declared.isEmpty()) {
      return Map.of();
    }
    Map<String, List<Definition>> out = new java.util.TreeMap<>();
    for (Definition d : declared) {
      if (live(d.key()).map(Definition::id).filter(d.id()::equals).isPresent()) {
        out.computeIfAbsent(d.entrySegment(), k -> new java.util.ArrayList<>()).add(d);
      }
    }
    return out;
  }

  /**
   * Whether any deployed process definition, of any version (old versions may still have waiting
   * instances), names a message {@code messageName}: if none does, no journey can react to such an
   * event, now or after a journey moves on, and correlating it would only cost a transaction. A
   * message name with an expression counts as naming every type. The names are read from the BPMN
   * models once per change of the deployments, known by their count and the newest one's id; that
   * key is looked at every call for a while after this node parsed a deployment, otherwise at most
   * once per {@link #RECHECK} (a deployment made on another node is seen within that time).
   */
  public boolean anyListensTo(String messageName) {
    MessageNames names = messageNames();
    return names.all().contains(messageName) || names.all().contains(ANY_MESSAGE);
  }

  private MessageNames messageNames() {
    long now = System.nanoTime();
    MessageNames names = messageNames;
    if (now - names.checkedAt() > RECHECK.toNanos() || now - lastLocalParse < EXACT_AFTER_PARSE.toNanos()) {
      // one statement in the caller's transaction, or in auto-commit outside one: the engine's two queries would be two
      // commands, each a transaction and a commit of its own for a request that has none yet (a REST entry)
      // a version's review moves journey_version's newest change, and the live versions with it
      String key = jdbc.sql("SELECT CONCAT(COUNT(*), ':', COALESCE((SELECT ID_ FROM ACT_RE_DEPLOYMENT "
              + "ORDER BY DEPLOY_TIME_ DESC, ID_ DESC LIMIT 1), ''), ':', COALESCE((SELECT MAX(changed_at) FROM journey_version), '')) "
              + "from ACT_RE_DEPLOYMENT RES")
          .query(String.class).single();
      names = key.equals(names.deploymentKey()) ? names.checked(now) : readMessageNames(key, now);
      messageNames = names;
    }
    return names;
  }

  /**
   * Called when this node parses a BPMN deployment or changes a version's state: until it has surely committed, look at
   * the deployments every time.
   */
  static void localDeploymentParsed() {
    lastLocalParse = System.nanoTime();
  }

  private MessageNames readMessageNames(String key, long now) {
    Set<String> all = new HashSet<>();
    Set<String> starts = new HashSet<>();
    List<Definition> goals = new java.util.ArrayList<>();
    List<Definition> starters = new java.util.ArrayList<>();
    List<Definition> segmentEntered = new java.util.ArrayList<>();
    for (ProcessDefinition pd : repository.createProcessDefinitionQuery().list()) {
      for (Message m : repository.getBpmnModelInstance(pd.getId()).getModelElementsByType(Message.class)) {
        if (m.getName() != null) {
          all.add(nameOrAny(m.getName()));
        }
      }
      Definition d = of(pd);
      d.startMessages().forEach(name -> starts.add(nameOrAny(name)));
      if (!d.startMessages().isEmpty()) {
        starters.add(d);
      }
      if (d.goal() != null && !d.approval()) {
        goals.add(d);
      }
      if (d.entrySegment() != null && !d.approval()) {
        segmentEntered.add(d);
      }
    }
    return new MessageNames(key, Set.copyOf(all), Set.copyOf(starts), List.copyOf(goals), List.copyOf(starters),
        List.copyOf(segmentEntered), now);
  }

  private static String nameOrAny(String messageName) {
    return messageName.contains("${") || messageName.contains("#{") ? ANY_MESSAGE : messageName;
  }

  private Definition of(ProcessDefinition pd) {
    return byId.computeIfAbsent(pd.getId(), id -> read(pd));
  }

  private Definition read(ProcessDefinition pd) {
    BpmnModelInstance model = repository.getBpmnModelInstance(pd.getId());
    Process process = model.getModelElementById(pd.getKey());
    JourneyProcessProperties props = JourneyProcessProperties.of(process, pd.getKey());
    boolean noneStart = false;
    List<String> messages = new java.util.ArrayList<>();
    for (StartEvent start : process.getChildElementsByType(StartEvent.class)) {
      List<MessageEventDefinition> defs = start.getEventDefinitions().stream()
          .filter(MessageEventDefinition.class::isInstance).map(MessageEventDefinition.class::cast).toList();
      if (start.getEventDefinitions().isEmpty()) {
        noneStart = true;
      }
      defs.stream().filter(d -> d.getMessage() != null).forEach(d -> messages.add(d.getMessage().getName()));
    }
    // a customer journey runs without people: a user task anywhere (subprocesses too) makes it a workflow for staff
    boolean approval = !model.getModelElementsByType(UserTask.class).isEmpty();
    return new Definition(pd.getId(), pd.getKey(), pd.getName() == null ? pd.getKey() : pd.getName(), pd.getVersion(),
        props.reentry(), props.goal(), approval, noneStart, List.copyOf(messages),
        props.goal() == null ? null : props.goalCondition(), props.goalWindow(), !approval && JourneyPurposes.sendsMarketing(model),
        props.priority(), props.entrySegment());
  }
}
