package dev.overture.journey.internal;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The journey log's key of each running instance (journey, version, hour of entry, test walk or not): kept
 * in memory from the instance's start, or read once by primary key from its {@code journey_run} row on a node
 * that did not start it. The log's counters and the test-mode timers both ask here, so a step that needs both
 * reads the row at most once.
 */
@Component
public class JourneyRunKeys {

  private static final int REMEMBERED_RUNS = 100_000;

  private final JdbcTemplate jdbc;

  /** Instance id → its key; only a migration changes its version. */
  private final Map<String, RunKey> known = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, RunKey> eldest) {
      return size() > REMEMBERED_RUNS;
    }
  });

  JourneyRunKeys(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void remember(String instanceId, RunKey key) {
    known.put(instanceId, key);
  }

  /**
   * The key of an instance of this journey definition, the one it runs on now; null when it has no journey_run row
   * (yet). A remembered key of another version means a migration moved the instance (on this node or another): the
   * step counts under the version of the definition it names, and the memory follows, without a read.
   */
  RunKey find(String instanceId, JourneyProcesses.Info info) {
    RunKey key = known.get(instanceId);
    if (key != null && key.version() != info.version()) {
      key = new RunKey(key.journeyKey(), info.version(), key.hour(), key.test());
      known.put(instanceId, key);
    }
    if (key != null) {
      return key;
    }
    record Row(LocalDateTime startedAt, boolean test) {}
    List<Row> rows = jdbc.query("SELECT started_at, test FROM journey_run WHERE instance_id = ?",
        (rs, n) -> new Row(rs.getObject(1, LocalDateTime.class), rs.getBoolean(2)), instanceId);
    if (rows.isEmpty()) {
      return null;
    }
    key = new RunKey(info.key(), info.version(), rows.get(0).startedAt().truncatedTo(ChronoUnit.HOURS), rows.get(0).test());
    known.put(instanceId, key);
    return key;
  }

  /**
   * Whether the instance is a test walk; false, without a read, for an approval process (it has no journey_run
   * row) and for anything that is no process instance.
   */
  public boolean isTestWalk(String instanceId, String processDefinitionId) {
    JourneyProcesses.Info info = JourneyProcesses.of(processDefinitionId);
    RunKey key = info == null || !info.journey() || instanceId == null ? null : find(instanceId, info);
    return key != null && key.test();
  }
}
