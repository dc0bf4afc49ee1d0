package dev.overture.journey;

import dev.overture.journey.internal.DryRuns;
import dev.overture.journey.internal.JourneyDefinitions;
import dev.overture.platform.Conflict;
import dev.overture.platform.InvalidInput;
import dev.overture.platform.NotFound;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Dry runs (docs/journeys.md#dry-run): a version that is not live receives a shadow of every entry of the live
 * version for a set period, walks the diagram and sends nothing; its stats sit beside the live version's.
 */
@Service
public class JourneyDryRuns {

  /** One dry run with both versions' stats over its period (until now while it is open). */
  public record DryRun(String id, String journeyKey, int version, int liveVersion, String startedBy, Instant startedAt,
      Instant until, Instant endedAt, boolean open, JourneyStats.Stats stats, JourneyStats.Stats liveStats) {}

  private final JdbcClient jdbc;
  private final JourneyDefinitions definitions;
  private final DryRuns dryRuns;
  private final JourneyStats stats;
  private final Clock clock;

  JourneyDryRuns(JdbcClient jdbc, JourneyDefinitions definitions, DryRuns dryRuns, JourneyStats stats, Clock clock) {
    this.jdbc = jdbc;
    this.definitions = definitions;
    this.dryRuns = dryRuns;
    this.stats = stats;
    this.clock = clock;
  }

  /** Starts a dry run of {@code version} until {@code until}; it shadows the version that is live now. */
  @Transactional
  public DryRun start(String journeyKey, int version, Instant until, String by) {
    if (until == null || !until.isAfter(clock.instant())) {
      throw new InvalidInput("dry-run-until", "A dry run needs 'until', a time in the future");
    }
    if (definitions.versions(journeyKey).stream().noneMatch(d -> d.version() == version)) {
      throw new NotFound("journey-version", "Journey '" + journeyKey + "' has no version " + version);
    }
    JourneyDefinitions.Definition live = definitions.live(journeyKey)
        .orElseThrow(() -> new Conflict("journey-not-live", "Journey '" + journeyKey + "' has no live version to shadow"));
    if (isLive(journeyKey, version)) {
      throw new Conflict("dry-run-of-live", "Version " + version + " of journey '" + journeyKey
          + "' is live: a dry run shadows the live version with another one");
    }
    // one open dry run per journey: the lock on the journey's rows makes two concurrent starts wait for each other
    List<String> open = openLocked(journeyKey);
    if (!open.isEmpty()) {
      throw new Conflict("dry-run-open", "Journey '" + journeyKey + "' already has a dry run (" + open.get(0)
          + "); end it first");
    }
    String id = UUID.randomUUID().toString();
    jdbc.sql("INSERT INTO journey_dry_run (id, journey_key, version, live_version, started_by, started_at, until_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .params(id, journeyKey, version, live.version(), by, Timestamp.from(clock.instant()), Timestamp.from(until)).update();
    dryRuns.opened(journeyKey, version);
    dev.overture.platform.AfterCommit.run(dryRuns::refresh);
    return find(journeyKey, id).orElseThrow();
  }

  /** Ends the journey's open dry run now; its shadow instances already running walk on and still send nothing. */
  @Transactional
  public DryRun end(String journeyKey) {
    Timestamp now = Timestamp.from(clock.instant());
    List<String> open = openLocked(journeyKey);
    if (open.isEmpty()) {
      throw new NotFound("dry-run", "Journey '" + journeyKey + "' has no open dry run");
    }
    jdbc.sql("UPDATE journey_dry_run SET ended_at = ? WHERE id = ?").params(now, open.get(0)).update();
    jdbc.sql("SELECT version FROM journey_dry_run WHERE id = ?").param(open.get(0)).query(Integer.class).optional()
        .ifPresent(version -> dryRuns.closed(journeyKey, version));
    dev.overture.platform.AfterCommit.run(dryRuns::refresh);
    return find(journeyKey, open.get(0)).orElseThrow();
  }

  /** The journey's open dry run, locked for this transaction (at most one). */
  private List<String> openLocked(String journeyKey) {
    return jdbc.sql("SELECT id FROM journey_dry_run WHERE journey_key = ? AND ended_at IS NULL AND until_at > ? FOR UPDATE")
        .params(journeyKey, Timestamp.from(clock.instant())).query(String.class).list();
  }

  /** The journey's dry runs, newest first, each with its stats and the live version's over the same period. */
  public List<DryRun> of(String journeyKey) {
    if (definitions.latest(journeyKey).isEmpty()) {
      throw new UnknownJourney(journeyKey);
    }
    return jdbc.sql("SELECT id FROM journey_dry_run WHERE journey_key = ? ORDER BY started_at DESC").param(journeyKey)
        .query(String.class).list().stream().map(id -> find(journeyKey, id).orElseThrow()).toList();
  }

  private Optional<DryRun> find(String journeyKey, String id) {
    Instant now = clock.instant();
    return jdbc.sql("SELECT * FROM journey_dry_run WHERE id = ? AND journey_key = ?").params(id, journeyKey)
        .query((rs, n) -> {
          Instant startedAt = rs.getTimestamp("started_at").toInstant();
          Instant until = rs.getTimestamp("until_at").toInstant();
          Timestamp ended = rs.getTimestamp("ended_at");
          Instant end = ended != null ? ended.toInstant() : until.isBefore(now) ? until : now;
          boolean open = ended == null && until.isAfter(now);
          int version = rs.getInt("version");
          int liveVersion = rs.getInt("live_version");
          // the stats count the instances that entered in the period; the end is exclusive, so a second past it
          Instant to = end.plusSeconds(1);
          return new DryRun(id, journeyKey, version, liveVersion, rs.getString("started_by"), startedAt, until,
              ended == null ? null : ended.toInstant(), open, stats.of(journeyKey, version, startedAt, to),
              stats.of(journeyKey, liveVersion, startedAt, to));
        }).optional();
  }

  /**
   * Whether the version is the one that takes entries now. The one place a dry run asks, so the rule that refuses a
   * dry run of the live version follows the versions' states.
   */
  private boolean isLive(String journeyKey, int version) {
    return definitions.live(journeyKey).map(d -> d.version() == version).orElse(false);
  }
}
