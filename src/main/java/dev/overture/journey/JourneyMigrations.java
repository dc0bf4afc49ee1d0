package dev.overture.journey;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.overture.journey.internal.JourneyDefinitions;
import dev.overture.journey.internal.JourneyDefinitions.Definition;
import dev.overture.journey.internal.MigrationPlans;
import dev.overture.journey.internal.MigrationStore;
import dev.overture.platform.Conflict;
import dev.overture.platform.InvalidInput;
import dev.overture.platform.NotFound;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.batch.Batch;
import org.camunda.bpm.engine.batch.BatchStatistics;
import org.camunda.bpm.engine.migration.MigrationPlan;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Moves the customers inside a journey from one version to another (docs/journeys.md#migrating-running-customers):
 * a Camunda migration plan (same element ids map, explicit pairs override), a dry run that says per source element
 * how many instances wait there and which instances the engine would refuse and why, and the migration itself as a
 * Camunda batch whose progress is read back. Only to the live version; each migration is recorded with its author.
 */
@Service
public class JourneyMigrations {

  private static final Logger log = LoggerFactory.getLogger(JourneyMigrations.class);

  private final JourneyDefinitions definitions;
  private final MigrationPlans plans;
  private final MigrationStore store;
  private final RuntimeService runtime;
  private final ManagementService management;

  JourneyMigrations(JourneyDefinitions definitions, MigrationPlans plans, MigrationStore store, RuntimeService runtime,
      ManagementService management) {
    this.definitions = definitions;
    this.plans = plans;
    this.store = store;
    this.runtime = runtime;
    this.management = management;
  }

  /** The answer of a dry run: the plan, the instances per source element, and those that would fail. */
  public record DryRun(String journeyKey, int fromVersion, int toVersion, long instances, List<MigrationPlans.Instruction> instructions,
      List<MigrationPlans.ElementCount> elements, List<MigrationPlans.Failure> failures) {}

  /**
   * A migration and its progress: {@code state} is {@code running}, {@code failing} (some batch jobs failed and wait
   * in Cockpit as incidents) or {@code completed}; {@code failures} the failed jobs' messages.
   */
  public record Migration(String id, String journeyKey, int fromVersion, int toVersion, String state, long instances, long migrated,
      long failed, long remaining, List<MigrationPlans.Instruction> instructions, String batchId, String startedBy, Instant startedAt,
      @JsonInclude(JsonInclude.Include.ALWAYS) List<String> failures) {}

  /** What would happen, moving nothing. */
  public DryRun dryRun(String journeyKey, int fromVersion, int toVersion, Map<String, String> mapping) {
    MigrationPlan plan = plan(journeyKey, fromVersion, toVersion, mapping);
    List<String> ids = instances(plan);
    return new DryRun(journeyKey, fromVersion, toVersion, ids.size(), MigrationPlans.instructions(plan), plans.elements(plan),
        plans.tryOut(plan, ids));
  }

  /** Starts the batch that migrates every instance running on {@code fromVersion} now. */
  @Transactional
  public Migration start(String journeyKey, int fromVersion, int toVersion, Map<String, String> mapping, String by) {
    MigrationPlan plan = plan(journeyKey, fromVersion, toVersion, mapping);
    List<String> running = store.withBatches(journeyKey, management.createBatchQuery().type(Batch.TYPE_PROCESS_INSTANCE_MIGRATION)
        .list().stream().map(Batch::getId).toList()).stream().filter(id -> !"completed".equals(get(journeyKey, id).state())).toList();
    if (!running.isEmpty()) {
      // a second batch over the same instances would fail for each one the first has moved
      throw new Conflict("migration-running", "Migration " + running.get(0) + " of journey '" + journeyKey
          + "' is still running; start the next one when it has completed").with("migrationId", running.get(0));
    }
    List<String> ids = instances(plan);
    if (ids.isEmpty()) {
      throw new Conflict("nothing-to-migrate", "No instance of journey '" + journeyKey + "' runs on version " + fromVersion);
    }
    Batch batch = runtime.newMigration(plan).processInstanceIds(ids).executeAsync();
    MigrationStore.Stored stored = new MigrationStore.Stored(UUID.randomUUID().toString(), journeyKey, fromVersion, toVersion,
        MigrationPlans.instructions(plan), batch.getId(), ids.size(), by, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    store.insert(stored, ids);
    log.info("Migration {} of journey '{}' from version {} to {} started by {}: {} instance(s), batch {}", stored.id(), journeyKey,
        fromVersion, toVersion, by, ids.size(), batch.getId());
    return progress(stored);
  }

  /** A migration's progress; a 404 problem for an id that is no migration of this journey. */
  public Migration get(String journeyKey, String id) {
    return progress(store.find(journeyKey, id).orElseThrow(() -> new NotFound("journey-migration",
        "Journey '" + journeyKey + "' has no migration " + id)));
  }

  private Migration progress(MigrationStore.Stored m) {
    long migrated = store.migrated(m);
    Batch batch = migrated == m.instances() ? null : management.createBatchQuery().batchId(m.batchId()).singleResult();
    BatchStatistics stats = batch == null ? null : management.createBatchStatisticsQuery().batchId(m.batchId()).singleResult();
    if (stats == null) {
      // every instance moved (the batch's monitor job removes the batch up to 30 s later), or the batch is gone:
      // what did not move then did not make it
      return migration(m, "completed", migrated, m.instances() - migrated, 0, List.of());
    }
    List<String> failures = management.createJobQuery().jobDefinitionId(batch.getBatchJobDefinitionId()).withException()
        .noRetriesLeft().listPage(0, 20).stream().map(Job::getExceptionMessage).toList();
    long failed = (long) stats.getFailedJobs() * Math.max(1, batch.getInvocationsPerBatchJob());
    failed = Math.min(failed, m.instances() - migrated);
    return migration(m, failed > 0 ? "failing" : "running", migrated, failed, m.instances() - migrated - failed, failures);
  }

  private static Migration migration(MigrationStore.Stored m, String state, long migrated, long failed, long remaining,
      List<String> failures) {
    return new Migration(m.id(), m.journeyKey(), m.fromVersion(), m.toVersion(), state, m.instances(), migrated, failed, remaining,
        m.instructions(), m.batchId(), m.startedBy(), m.startedAt(), failures);
  }

  private MigrationPlan plan(String journeyKey, int fromVersion, int toVersion, Map<String, String> mapping) {
    List<Definition> versions = definitions.versions(journeyKey);
    if (versions.isEmpty() || versions.get(versions.size() - 1).approval()) {
      throw new UnknownJourney(journeyKey);
    }
    if (fromVersion == toVersion) {
      throw new InvalidInput("invalid-migration", "fromVersion and toVersion are both " + fromVersion + ": nothing would move");
    }
    Definition source = version(journeyKey, versions, fromVersion);
    Definition target = version(journeyKey, versions, toVersion);
    if (!isLive(journeyKey, toVersion)) {
      throw new Conflict("version-not-live", "Version " + toVersion + " of journey '" + journeyKey
          + "' is not live: customers move only to the live version");
    }
    return plans.build(source.id(), target.id(), mapping);
  }

  /** Whether the version takes the journey's entries now: the latest deployed version is the live one. */
  private boolean isLive(String journeyKey, int version) {
    List<Definition> versions = definitions.versions(journeyKey);
    return !versions.isEmpty() && versions.get(versions.size() - 1).version() == version;
  }

  private static Definition version(String journeyKey, List<Definition> versions, int version) {
    return versions.stream().filter(d -> d.version() == version).findFirst()
        .orElseThrow(() -> new NotFound("journey-version", "Journey '" + journeyKey + "' has no version " + version));
  }

  private List<String> instances(MigrationPlan plan) {
    return runtime.createProcessInstanceQuery().processDefinitionId(plan.getSourceProcessDefinitionId()).list().stream()
        .map(ProcessInstance::getId).toList();
  }
}
