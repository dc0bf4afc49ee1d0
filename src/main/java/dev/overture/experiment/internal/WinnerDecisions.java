package dev.overture.experiment.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.experiment.AutoWinner;
import dev.overture.experiment.JourneyResults;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The auto-winner decisions, in {@code experiment_decision} (one row per journey and experiment: its primary key makes
 * two nodes that decide at once record one decision, and the first stays). The split reads them from memory, so
 * routing costs no statement: each node reads the table at start and every {@code overture.experiments.auto-winner-interval},
 * and a decision this node records is in its memory once committed. A split with an auto-winner rule puts its
 * experiment on this node's watch list as it runs; each round decides the watched experiments that have none yet.
 */
@Component
public class WinnerDecisions implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(WinnerDecisions.class);
  private static final TypeReference<List<JourneyResults.Figure>> FIGURES = new TypeReference<>() {};

  /** A split seen with an auto-winner rule on this node. */
  private record Watched(String journeyKey, String experimentKey, AutoWinner rule) {}

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final Results results;
  private final ObjectMapper json;
  private final Clock clock;
  private final ExperimentsProperties props;
  private final Map<String, Watched> watched = new ConcurrentHashMap<>();
  private volatile Map<String, JourneyResults.Decision> decided = Map.of();
  private ScheduledExecutorService rounds;

  WinnerDecisions(JdbcClient jdbc, TransactionTemplate tx, Results results, ObjectMapper json, Clock clock,
      ExperimentsProperties props) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.results = results;
    this.json = json;
    this.clock = clock;
    this.props = props;
  }

  private static String key(String journeyKey, String experimentKey) {
    return journeyKey + '\n' + experimentKey;
  }

  /** The decision the split acts on, from memory; null while there is none (as this node knows). */
  public JourneyResults.Decision current(String journeyKey, String experimentKey) {
    return decided.get(key(journeyKey, experimentKey));
  }

  /** Puts an experiment with an auto-winner rule on the watch list (no statement); the latest rule seen counts. */
  public void watch(String journeyKey, String experimentKey, AutoWinner rule) {
    if (!decided.containsKey(key(journeyKey, experimentKey))) {
      watched.put(key(journeyKey, experimentKey), new Watched(journeyKey, experimentKey, rule));
    }
  }

  /** The recorded decisions of one journey, read from the table (for its results), by experiment key. */
  public Map<String, JourneyResults.Decision> of(String journeyKey) {
    Map<String, JourneyResults.Decision> out = new HashMap<>();
    jdbc.sql("SELECT * FROM experiment_decision WHERE journey_key = ?").param(journeyKey)
        .query(rs -> {
          out.put(rs.getString("experiment_key"), decision(rs));
        });
    return out;
  }

  /** Reads every decision into memory: what other nodes decided becomes what this node routes by. */
  public void refresh() {
    Map<String, JourneyResults.Decision> all = new HashMap<>();
    tx.executeWithoutResult(s -> jdbc.sql("SELECT * FROM experiment_decision").query(rs -> {
      all.put(key(rs.getString("journey_key"), rs.getString("experiment_key")), decision(rs));
    }));
    decided = Map.copyOf(all);
    all.keySet().forEach(watched::remove);
  }

  /** One round: the table read again, then each watched experiment without a decision decided if it can be. Returns how many this node recorded. */
  public int decide() {
    refresh();
    int recorded = 0;
    for (Watched w : List.copyOf(watched.values())) {
      if (w.rule().notBefore() != null && clock.instant().isBefore(w.rule().notBefore())) {
        continue;
      }
      Optional<HolmWinner.Verdict> verdict = results.experiment(w.journeyKey(), w.experimentKey())
          .flatMap(e -> HolmWinner.decide(e.variants(), w.rule().minimumSample(), w.rule().alpha()));
      if (verdict.isPresent() && record(w, verdict.get())) {
        recorded++;
        log.info("Experiment {} of journey {}: {} wins (p = {}, Holm-adjusted {}); later entries go to it",
            w.experimentKey(), w.journeyKey(), verdict.get().winner(), verdict.get().pValue(), verdict.get().adjustedPValue());
      }
    }
    if (recorded > 0) {
      refresh();
    }
    return recorded;
  }

  private boolean record(Watched w, HolmWinner.Verdict v) {
    String control = v.figures().stream().filter(JourneyResults.Figure::control).map(JourneyResults.Figure::variant)
        .findFirst().orElseThrow();
    String figures;
    try {
      figures = json.writeValueAsString(v.figures());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    Integer inserted = tx.execute(s -> jdbc.sql("""
            INSERT IGNORE INTO experiment_decision (journey_key, experiment_key, winner, decided_at, p_value, adjusted_p_value,
              alpha, minimum_sample, method, control_variant, control_share, figures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
        .params(w.journeyKey(), w.experimentKey(), v.winner(), Utc.of(clock.instant()), v.pValue(), v.adjustedPValue(),
            w.rule().alpha(), w.rule().minimumSample(), HolmWinner.METHOD, control, w.rule().controlShare(), figures)
        .update());
    return inserted != null && inserted > 0;
  }

  private JourneyResults.Decision decision(java.sql.ResultSet rs) throws java.sql.SQLException {
    List<JourneyResults.Figure> figures;
    try {
      figures = json.readValue(rs.getString("figures"), FIGURES);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("experiment_decision.figures does not read", e);
    }
    Instant at = Utc.instant(rs.getTimestamp("decided_at").toLocalDateTime());
    return new JourneyResults.Decision(rs.getString("winner"), at, rs.getDouble("p_value"), rs.getDouble("adjusted_p_value"),
        rs.getDouble("alpha"), rs.getInt("minimum_sample"), rs.getString("method"), rs.getString("control_variant"),
        rs.getInt("control_share"), figures);
  }

  @Override
  public void start() {
    rounds = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "experiment-decisions");
      t.setDaemon(true);
      return t;
    });
    long every = props.autoWinnerInterval().toMillis();
    rounds.scheduleWithFixedDelay(() -> {
      try {
        decide();
      } catch (RuntimeException e) {
        log.warn("Auto-winner round failed; the next one tries again: {}", e.toString());
      }
    }, 0, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    if (rounds != null) {
      rounds.shutdownNow();
      rounds = null;
    }
  }

  @Override
  public boolean isRunning() {
    return rounds != null;
  }
}
