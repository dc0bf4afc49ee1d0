package dev.overture.journey.internal;

import dev.overture.journey.Journeys;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The open dry runs of all journeys, read by a background refresh every {@link #REFRESH_SECONDS} seconds (and at once
 * on the node that starts or ends one), so an entry asks memory, never the database, whether to start a shadow. A
 * dry run started or ended on another node takes effect here within that refresh; its end time is checked on
 * every entry.
 */
@Component
public class DryRuns {

  static final int REFRESH_SECONDS = 5;

  /** The business key prefix of a shadow instance: the live journey's re-entry checks and merges never see it. */
  public static final String SHADOW_KEY_PREFIX = "dry-run:";

  private static final Logger log = LoggerFactory.getLogger(DryRuns.class);

  /** One open dry run: the version's definition, its live counterpart's version and its period. */
  public record Open(String id, String journeyKey, int version, String definitionId, int liveVersion, Instant startedAt,
      Instant until, boolean hasNoneStart, List<String> startMessages) {}

  private final JdbcClient jdbc;
  private final JourneyDefinitions definitions;
  private final RuntimeService runtime;
  private final ProcessEngine engine;
  private final Clock clock;
  private volatile Map<String, Open> open = Map.of();
  private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "dry-run-refresh");
    t.setDaemon(true);
    return t;
  });

  DryRuns(JdbcClient jdbc, JourneyDefinitions definitions, RuntimeService runtime, ProcessEngine engine, Clock clock) {
    this.engine = engine;
    this.jdbc = jdbc;
    this.definitions = definitions;
    this.runtime = runtime;
    this.clock = clock;
    refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
  }

  @jakarta.annotation.PreDestroy
  void stop() {
    refresher.shutdownNow();
  }

  /** The journey's dry run, if one is open now. */
  public Optional<Open> active(String journeyKey) {
    Open o = open.get(journeyKey);
    return o != null && o.until().isAfter(clock.instant()) ? Optional.of(o) : Optional.empty();
  }

  /**
   * A draft is a suspended definition, which starts nothing: the dry-run version is active while its dry run is open,
   * for the shadows' starts only (the entries start the live version by its id).
   */
  public void opened(String journeyKey, int version) {
    definition(journeyKey, version).ifPresent(id -> VersionSuspensions.live(engine, id));
  }

  /**
   * The dry run ended: its version starts nothing again, unless it went live meanwhile; its shadows and their timers
   * go on.
   */
  public void closed(String journeyKey, int version) {
    if (definitions.live(journeyKey).map(d -> d.version() == version).orElse(false)) {
      return;
    }
    definition(journeyKey, version).ifPresent(id -> VersionSuspensions.retire(engine, id, false));
  }

  private Optional<String> definition(String journeyKey, int version) {
    return definitions.versions(journeyKey).stream().filter(d -> d.version() == version).findFirst()
        .map(JourneyDefinitions.Definition::id);
  }

  /** Reads the open dry runs again, closing those whose time is up; at once after this node started or ended one. */
  public void refresh() {
    record Due(String id, String key, int version) {}
    Timestamp now = Timestamp.from(clock.instant());
    List<Due> due = jdbc.sql("SELECT id, journey_key, version FROM journey_dry_run WHERE ended_at IS NULL AND until_at <= ?")
        .param(now).query((rs, n) -> new Due(rs.getString(1), rs.getString(2), rs.getInt(3))).list();
    for (Due d : due) {
      // one node closes it: the one whose update took the row
      if (jdbc.sql("UPDATE journey_dry_run SET ended_at = until_at WHERE id = ? AND ended_at IS NULL").param(d.id()).update() == 1) {
        closed(d.key(), d.version());
      }
    }
    record Row(String id, String key, int version, int liveVersion, Instant startedAt, Instant until) {}
    List<Row> rows = jdbc.sql("SELECT id, journey_key, version, live_version, started_at, until_at FROM journey_dry_run WHERE ended_at IS NULL")
        .query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getTimestamp(5).toInstant(),
            rs.getTimestamp(6).toInstant())).list();
    Map<String, Open> read = new HashMap<>();
    for (Row r : rows) {
      definitions.versions(r.key()).stream().filter(d -> d.version() == r.version()).findFirst()
          .ifPresent(d -> read.put(r.key(), new Open(r.id(), r.key(), r.version(), d.id(), r.liveVersion(), r.startedAt(),
              r.until(), d.hasNoneStart(), d.startMessages())));
    }
    open = Map.copyOf(read);
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      // before the schema exists, or while the database is away: the last known dry runs stay until the next try
      log.debug("Dry runs not refreshed: {}", e.getMessage());
    }
  }

  /**
   * Starts the shadow of one live entry when the journey has a dry run open, in the caller's transaction (the live
   * entry's): it exists exactly when the live entry committed. Without a dry run it costs no statement.
   */
  void shadow(String journeyKey, String profileId, Map<String, Object> vars, String startMessage) {
    Optional<Open> dry = active(journeyKey);
    if (dry.isEmpty()) {
      return;
    }
    Map<String, Object> shadowVars = new HashMap<>(vars);
    shadowVars.put(Journeys.PROFILE_ID, profileId);
    shadowVars.put(Journeys.DRY_RUN, true);
    String definitionId = dry.get().definitionId();
    List<String> messages = dry.get().startMessages();
    // the live entry's start message when the dry-run version has it, else the start a request would take
    String message = startMessage != null && messages.contains(startMessage) ? startMessage
        : dry.get().hasNoneStart() || messages.isEmpty() ? null : messages.get(0);
    String businessKey = SHADOW_KEY_PREFIX + profileId;
    if (message == null) {
      runtime.startProcessInstanceById(definitionId, businessKey, shadowVars);
    } else {
      runtime.startProcessInstanceByMessageAndProcessDefinitionId(message, definitionId, businessKey, shadowVars);
    }
  }
}
