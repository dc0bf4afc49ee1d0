package dev.overture.journey;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.overture.delivery.JourneyMessageStats;
import dev.overture.journey.internal.JourneyDefinitions;
import dev.overture.journey.internal.JourneyLog;
import dev.overture.platform.NotFound;
import dev.overture.platform.HourlyCounterFilter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;

/**
 * A journey's numbers from the journey log's counters (docs/journeys.md#stats): entries, instances
 * running and ended by reason, per BPMN element entered, waiting there now and completed, per Send
 * step what happened to the messages, and entries per day. The counters are kept per hour of entry,
 * so {@code from} and {@code to} select whole hours: every hour that overlaps [from, to).
 */
@Service
public class JourneyStats {

  /** The answer of {@code GET /api/journeys/{key}/stats}, as the analytics contract fixes it. */
  public record Stats(String journeyKey, @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Integer version,
      @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Instant from,
      @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Instant to,
      long entered, long migratedIn, long migratedOut, long active, long completed, Map<String, Long> exited,
      List<Element> elements, List<JourneyMessageStats.Counts> messages, List<Day> daily) {}

  /**
   * One flow node of the BPMN: {@code active} = instances waiting there now; {@code migratedIn} and
   * {@code migratedOut} the waits a migration moved here from another version and away to another.
   */
  public record Element(String elementId, @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String name, String type,
      long entered, long migratedIn, long migratedOut, long active, long completed) {}

  public record Day(LocalDate day, long entered) {}

  private final JdbcClient jdbc;
  private final JourneyDefinitions definitions;
  private final RepositoryService repository;
  private final JourneyMessageStats messages;

  JourneyStats(JdbcClient jdbc, JourneyDefinitions definitions, RepositoryService repository,
      JourneyMessageStats messages) {
    this.jdbc = jdbc;
    this.definitions = definitions;
    this.repository = repository;
    this.messages = messages;
  }

  /** The journey's stats; a 404 problem for an unknown journey or version. */
  public Stats of(String journeyKey, Integer version, Instant from, Instant to) {
    List<JourneyDefinitions.Definition> versions = definitions.versions(journeyKey);
    if (versions.isEmpty() || versions.get(versions.size() - 1).approval()) {
      throw new UnknownJourney(journeyKey);
    }
    JourneyDefinitions.Definition definition = version == null ? versions.get(versions.size() - 1)
        : versions.stream().filter(d -> d.version() == version).findFirst()
            .orElseThrow(() -> new NotFound("journey-version", "Journey '" + journeyKey + "' has no version " + version));
    HourlyCounterFilter filter = HourlyCounterFilter.of(journeyKey, version, from, to);
    List<String> reasons = JourneyLog.END_REASONS;
    long[] runs = new long[3 + reasons.size()];
    List<Day> daily = new ArrayList<>();
    jdbc.sql("SELECT DATE(entered_hour), SUM(entered), " + String.join(", ", reasons.stream().map(r -> "SUM(" + r + ")").toList())
            + ", SUM(migrated_in), SUM(migrated_out) FROM journey_count" + filter.where() + " GROUP BY DATE(entered_hour) ORDER BY 1")
        .params(filter.params())
        .query((rs, n) -> {
          daily.add(new Day(rs.getObject(1, LocalDate.class), rs.getLong(2)));
          for (int i = 0; i < runs.length; i++) {
            runs[i] += rs.getLong(2 + i);
          }
          return null;
        })
        .list();
    Map<String, Long> exited = new LinkedHashMap<>();
    long ended = 0;
    for (int i = 0; i < reasons.size(); i++) {
      exited.put(reasons.get(i), runs[1 + i]);
      ended += runs[1 + i];
    }
    long migratedIn = runs[1 + reasons.size()];
    long migratedOut = runs[2 + reasons.size()];
    Map<String, long[]> counts = new HashMap<>();
    jdbc.sql("SELECT element_id, SUM(entered), SUM(completed), SUM(cancelled), SUM(migrated_in), SUM(migrated_out) "
            + "FROM journey_element_count" + filter.where() + " GROUP BY element_id")
        .params(filter.params())
        .query((rs, n) -> counts.put(rs.getString(1),
            new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)}))
        .list();
    List<Element> elements = new ArrayList<>();
    BpmnModelInstance model = repository.getBpmnModelInstance(definition.id());
    for (FlowNode node : model.getModelElementsByType(FlowNode.class)) {
      long[] c = counts.getOrDefault(node.getId(), new long[5]);
      elements.add(new Element(node.getId(), node.getName(), node.getElementType().getTypeName(), c[0], c[3], c[4],
          c[0] + c[3] - c[4] - c[1] - c[2], c[1]));
    }
    return new Stats(journeyKey, version, from, to, runs[0], migratedIn, migratedOut, runs[0] + migratedIn - migratedOut - ended,
        ended, exited, elements,
        messages.of(journeyKey, version, from, to), daily);
  }
}
