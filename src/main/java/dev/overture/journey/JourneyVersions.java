package dev.overture.journey;

import dev.overture.journey.internal.DraftDeployments;
import dev.overture.journey.internal.JourneyDefinitions;
import dev.overture.journey.internal.JourneyVersionStore;
import dev.overture.journey.internal.VersionReviews;
import dev.overture.platform.Conflict;
import dev.overture.platform.InvalidInput;
import dev.overture.platform.NotFound;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.ParseException;
import org.camunda.bpm.engine.Problem;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A journey's versions: {@code draft} (deployed, takes nothing), {@code in_review}, {@code live} (takes entries, events
 * and enrollments; one per journey) and {@code retired} (its running instances finish on it). A draft, or a retired
 * version to roll back to, goes live only through a review in Tasklist ({@code journey-version-review.bpmn}) by someone
 * other than its author and the one who asked for the review; {@link #live} is the version everything enters.
 */
@Service
public class JourneyVersions {

  /** The process that reviews a version; its business key is {@code <journey key>:<version>}. */
  public static final String REVIEW_PROCESS = "journey-version-review";
  public static final String APPROVE = "approve";
  public static final String REJECT = "reject";

  private final JourneyDefinitions definitions;
  private final JourneyVersionStore store;
  private final VersionReviews reviews;
  private final RepositoryService repository;
  private final RuntimeService runtime;
  private final TransactionTemplate tx;
  private final Clock clock;

  JourneyVersions(JourneyDefinitions definitions, JourneyVersionStore store, VersionReviews reviews, RepositoryService repository,
      RuntimeService runtime, TransactionTemplate tx, Clock clock) {
    this.definitions = definitions;
    this.store = store;
    this.reviews = reviews;
    this.repository = repository;
    this.runtime = runtime;
    this.tx = tx;
    this.clock = clock;
  }

  /** The version of a journey that takes entries: its process definition id and version number. */
  public record Live(String processDefinitionId, int version) {}

  /**
   * The journey's live version, which every entry, event start and enrollment starts by its definition id; empty when
   * no version is deployed or none is live yet. Remembered per deployment and version state (no query on most calls).
   */
  public Optional<Live> live(String journeyKey) {
    return definitions.live(journeyKey).map(d -> new Live(d.id(), d.version()));
  }

  /**
   * Deploys the BPMN as a new draft version of the journey; broken BPMN is a 400 naming the elements. {@code caller}
   * is the authenticated principal: a person is the author, an API key must name the author.
   */
  public int deploy(String journeyKey, String bpmn, String caller, String requestedAuthor) {
    String author = authorOf(caller, requestedAuthor);
    if (bpmn == null || !bpmn.contains("id=\"" + journeyKey + "\"")) {
      throw new InvalidInput("journey-key-mismatch", "The BPMN must hold a process with id '" + journeyKey + "'");
    }
    try {
      int before = newest(journeyKey);
      DraftDeployments.asDraftBy(author, () -> repository.createDeployment().name(journeyKey).source("Overture API")
          .addString(journeyKey + ".bpmn", bpmn).enableDuplicateFiltering(true).deploy());
      int after = newest(journeyKey);
      if (after == before) {
        // Camunda's duplicate filtering deployed nothing and answered with the earlier deployment
        throw new Conflict("journey-version-unchanged", "This BPMN is the same as the newest version of '" + journeyKey + "'");
      }
      return after;
    } catch (ParseException e) {
      List<String> problems = e.getResorceReports().stream().flatMap(r -> r.getErrors().stream()).map(Problem::getMessage).toList();
      throw new InvalidInput("invalid-bpmn", "The BPMN cannot be deployed: " + String.join("; ", problems));
    }
  }

  private static String authorOf(String caller, String requested) {
    if (caller.startsWith("user:")) {
      String user = caller.substring(5);
      if (requested != null && !requested.isBlank() && !requested.equals(user)) {
        throw new dev.overture.platform.Unprocessable("author-mismatch",
            "You are signed in as '" + user + "': you can only deploy as yourself");
      }
      return user;
    }
    if (requested == null || requested.isBlank()) {
      throw new dev.overture.platform.Unprocessable("author-required",
          "Deploying with an API key needs 'author': the Camunda user who wrote the version (they may not approve it)");
    }
    return requested;
  }

  private int newest(String journeyKey) {
    ProcessDefinition newest = repository.createProcessDefinitionQuery().processDefinitionKey(journeyKey).latestVersion()
        .singleResult();
    return newest == null ? 0 : newest.getVersion();
  }

  /** Starts the review that makes a draft live. */
  public JourneyVersion submit(String journeyKey, int version, String by) {
    return request(journeyKey, version, by, JourneyVersionStore.DRAFT, "a draft");
  }

  /** Starts the review that makes a retired version live again (a rollback). */
  public JourneyVersion activate(String journeyKey, int version, String by) {
    return request(journeyKey, version, by, JourneyVersionStore.RETIRED, "retired");
  }

  private JourneyVersion request(String journeyKey, int version, String by, String from, String fromWords) {
    return tx.execute(s -> {
      JourneyVersion row = row(store.lock(journeyKey), journeyKey, version);
      if (!from.equals(row.state())) {
        throw new Conflict("journey-version-state", "Version " + version + " of '" + journeyKey + "' is " + row.state()
            + ", not " + fromWords);
      }
      Optional<Live> live = live(journeyKey);
      Map<String, Object> vars = new HashMap<>(reviews.variables(journeyKey, row,
          live.map(Live::processDefinitionId).orElse(null), live.map(Live::version).orElse(null), by));
      String instance = runtime.startProcessInstanceByKey(REVIEW_PROCESS, journeyKey + ":" + version, vars).getId();
      store.requested(row.processDefinitionId(), by, instance, clock.instant());
      return row(store.of(journeyKey), journeyKey, version);
    });
  }

  /**
   * The reviewer's decision, in the transaction that completes the review task: approve makes the version live and retires
   * the live one (its running instances go on), reject returns it to draft (or retired) with the comment.
   * Throws {@code FourEyesViolation} for its author, for who asked for the review and for a rejection without a comment.
   */
  public void decide(String journeyKey, int version, String reviewer, String decision, String comment) {
    reviews.decide(journeyKey, version, reviewer, decision, comment);
  }

  /** The journey's recorded versions, oldest first (none for a journey deployed before versions were kept). */
  public List<JourneyVersion> of(String journeyKey) {
    return store.of(journeyKey);
  }

  static JourneyVersion row(List<JourneyVersion> rows, String journeyKey, int version) {
    return rows.stream().filter(r -> r.version() == version).findFirst()
        .orElseThrow(() -> new NotFound("journey-version", "Journey '" + journeyKey + "' has no version " + version));
  }

}
