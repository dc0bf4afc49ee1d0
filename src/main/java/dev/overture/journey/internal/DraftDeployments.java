package dev.overture.journey.internal;

import dev.overture.journey.JourneyVersionProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.camunda.bpm.engine.ProcessEngine;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Whether a journey version being deployed is a draft or live at once, and its {@code journey_version} row, written in
 * the deployment's transaction once the engine has given the version its id. Drafts: every deployment by a person
 * (Camunda Modeler and the engine's REST API, whose caller is signed in; {@code POST /api/journeys/{key}/versions}),
 * and the start-up deployment of {@code bpmn/} when a journey was deployed before. Live at once: the start-up
 * deployment on an empty database, deployments the application makes in code without a signed-in user, and
 * everything where {@code overture.journeys.auto-approve} is on. Uses no engine bean: it runs while the engine is built.
 */
@Component
public class DraftDeployments {

  /** The name Camunda's Spring integration gives the deployment of the resources it finds at start-up. */
  static final String START_UP_DEPLOYMENT = "SpringAutoDeployment";

  private static final ThreadLocal<String> DRAFT_AUTHOR = new ThreadLocal<>();
  private static final Object PENDING = new Object();

  private final JourneyVersionStore store;
  private final JdbcClient jdbc;
  private final JourneyVersionProperties props;
  private final Clock clock;

  DraftDeployments(JourneyVersionStore store, JdbcClient jdbc, JourneyVersionProperties props, Clock clock) {
    this.store = store;
    this.jdbc = jdbc;
    this.props = props;
    this.clock = clock;
  }

  /** What becomes of the versions of one deployment, and who wrote them (null: nobody signed in). */
  record Decision(boolean draft, String author) {}

  /** A version the engine has persisted: read when the transaction commits. */
  record Deployed(String key, String id, int version) {}

  /** Runs the deployment as a draft written by {@code author}, whoever is signed in to the engine. */
  public static <T> T asDraftBy(String author, Supplier<T> deployment) {
    DRAFT_AUTHOR.set(author);
    try {
      return deployment.get();
    } finally {
      DRAFT_AUTHOR.remove();
    }
  }

  /**
   * As {@link #decide(String, String)}, except that a version whose BPMN is the live version's, byte for byte, is live
   * at once: there is nothing to review. The start-up deployment redeploys every file of {@code bpmn/} when one of them
   * changed; the unchanged journeys stay live that way.
   */
  Decision decide(String deploymentName, String signedIn, String journeyKey, byte[] bpmn) {
    Decision decision = decide(deploymentName, signedIn);
    return decision.draft() && bpmn != null && java.util.Arrays.equals(bpmn, liveBpmn(journeyKey))
        ? new Decision(false, decision.author()) : decision;
  }

  private byte[] liveBpmn(String journeyKey) {
    String resource = "SELECT B.BYTES_ FROM ACT_RE_PROCDEF P JOIN ACT_GE_BYTEARRAY B ON B.DEPLOYMENT_ID_ = P.DEPLOYMENT_ID_ "
        + "AND B.NAME_ = P.RESOURCE_NAME_ ";
    List<byte[]> live = store.of(journeyKey).isEmpty()
        ? jdbc.sql(resource + "WHERE P.KEY_ = ? ORDER BY P.VERSION_ DESC LIMIT 1").param(journeyKey).query(byte[].class).list()
        : jdbc.sql(resource + "JOIN journey_version V ON V.process_definition_id = P.ID_ WHERE V.journey_key = ? AND V.state = ?")
            .params(journeyKey, JourneyVersionStore.LIVE).query(byte[].class).list();
    return live.isEmpty() ? null : live.get(0);
  }

  Decision decide(String deploymentName, String signedIn) {
    String requested = DRAFT_AUTHOR.get();
    String author = requested != null ? requested : signedIn;
    if (props.autoApprove()) {
      return new Decision(false, author);
    }
    if (author != null) {
      return new Decision(true, author);
    }
    if (START_UP_DEPLOYMENT.equals(deploymentName)) {
      // the sample journeys on a new installation take entries at once; a changed file at a later start waits for review
      boolean emptyDatabase = jdbc.sql("SELECT COUNT(*) FROM ACT_RE_PROCDEF").query(Long.class).single() == 0 && !store.any();
      return new Decision(!emptyDatabase, null);
    }
    return new Decision(false, null);
  }

  /** Records the version when the deployment's transaction commits; a live one retires the journey's live version. */
  @SuppressWarnings("unchecked")
  void deploying(Decision decision, Supplier<Deployed> version, ProcessEngine engine) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      throw new IllegalStateException("A journey deployment needs a Spring-managed transaction to record its version");
    }
    List<Runnable> pending = (List<Runnable>) TransactionSynchronizationManager.getResource(PENDING);
    if (pending == null) {
      List<Runnable> created = new ArrayList<>();
      pending = created;
      TransactionSynchronizationManager.bindResource(PENDING, created);
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void beforeCommit(boolean readOnly) {
          created.forEach(Runnable::run);
          JourneyDefinitions.localDeploymentParsed();
        }

        @Override
        public void afterCompletion(int status) {
          TransactionSynchronizationManager.unbindResourceIfPossible(PENDING);
        }
      });
    }
    pending.add(() -> record(decision, version.get(), engine));
  }

  private void record(Decision decision, Deployed version, ProcessEngine engine) {
    Instant now = clock.instant();
    store.adopt(version.key(), version.id(), now);
    if (!decision.draft()) {
      for (dev.overture.journey.JourneyVersion row : store.lock(version.key())) {
        if (JourneyVersionStore.LIVE.equals(row.state())) {
          store.retired(row.processDefinitionId(), now);
          VersionSuspensions.retire(engine, row.processDefinitionId(), false);
        }
      }
    }
    store.insert(version.id(), version.key(), version.version(),
        decision.draft() ? JourneyVersionStore.DRAFT : JourneyVersionStore.LIVE, decision.author(), now);
  }
}
