package dev.overture.journey.internal;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code journey_state} table: which journeys are paused, read on every entry decision so that a
 * pause made on one node holds on all of them from their next entry on. No row means active.
 */
@Component
public class JourneyStates {

  public static final String ACTIVE = "active";
  public static final String PAUSED = "paused";

  private final JdbcClient jdbc;

  JourneyStates(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A stored state: {@code runningSuspended} when the pause suspended the running instances too. */
  public record State(String state, boolean runningSuspended) {}

  public boolean paused(String journeyKey) {
    return state(journeyKey).map(s -> PAUSED.equals(s.state())).orElse(false);
  }

  public Optional<State> state(String journeyKey) {
    return read(journeyKey, "");
  }

  /** The state as it is now, its row locked for the caller's transaction (empty: no row, i.e. active). */
  public Optional<State> lock(String journeyKey) {
    return read(journeyKey, " FOR UPDATE");
  }

  private Optional<State> read(String journeyKey, String lock) {
    return jdbc.sql("SELECT state, running_suspended FROM journey_state WHERE journey_key = ?" + lock).param(journeyKey)
        .query((rs, n) -> new State(rs.getString(1), rs.getBoolean(2))).optional();
  }

  /** Journey key → state, for every journey with a row. */
  public Map<String, String> all() {
    Map<String, String> out = new HashMap<>();
    jdbc.sql("SELECT journey_key, state FROM journey_state").query((ResultSet rs) -> {
      out.put(rs.getString(1), rs.getString(2));
    });
    return out;
  }

  /** Writes the state; the row stays locked until the caller's transaction ends. */
  public void set(String journeyKey, String state, boolean runningSuspended, String changedBy) {
    jdbc.sql("""
            INSERT INTO journey_state (journey_key, state, running_suspended, changed_by, changed_at) VALUES (?, ?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE state = VALUES(state), running_suspended = VALUES(running_suspended),
              changed_by = VALUES(changed_by), changed_at = VALUES(changed_at)""")
        .params(journeyKey, state, runningSuspended, changedBy, Timestamp.from(Instant.now()))
        .update();
  }
}
