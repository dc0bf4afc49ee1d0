package dev.overture.support;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the journey log (journey_run) holds about journey instances, for tests: journeys keep no
 * Camunda history, so where a test used to ask the history service how an instance ended, it asks here.
 */
public final class JourneyRuns {

  private JourneyRuns() {}

  /** The instance's journey_run row; empty when it has none. */
  public static Map<String, Object> run(JdbcClient jdbc, String instanceId) {
    return jdbc.sql("SELECT * FROM journey_run WHERE instance_id = ?").param(instanceId).query().listOfRows().stream()
        .findFirst().orElse(Map.of());
  }

  /** The end event the instance ended at; null while it runs or when ended from outside. */
  public static String endElement(JdbcClient jdbc, String instanceId) {
    return (String) run(jdbc, instanceId).get("end_element_id");
  }

  /** The end events of the journey's instances under these profile ids, oldest first ("null" for one not ended at an end event). */
  public static List<String> endElements(JdbcClient jdbc, String journeyKey, Collection<String> profileIds) {
    return jdbc.sql("SELECT end_element_id FROM journey_run WHERE journey_key = :key AND profile_id IN (:ids) "
            + "ORDER BY started_at, instance_id")
        .param("key", journeyKey).param("ids", List.copyOf(profileIds))
        .query((rs, n) -> String.valueOf(rs.getString(1))).list();
  }

  /** How many instances of the journey (any journey when null) the profile id has ever had. */
  public static long count(JdbcClient jdbc, String journeyKey, String profileId) {
    return jdbc.sql("SELECT COUNT(*) FROM journey_run WHERE profile_id = :id" + (journeyKey == null ? "" : " AND journey_key = :key"))
        .param("id", profileId).param("key", journeyKey == null ? "" : journeyKey).query(Long.class).single();
  }
}
