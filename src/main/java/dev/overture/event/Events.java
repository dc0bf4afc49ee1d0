package dev.overture.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.platform.ApiProblem;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Customer events: stored once per {@code eventId}, then correlated to every journey of that
 * profile that waits for a message named like the event type. Nobody waiting is a normal outcome.
 */
@Service
public class Events {

  private final JdbcClient jdbc;
  private final RuntimeService runtime;
  private final ObjectMapper json;

  Events(JdbcClient jdbc, RuntimeService runtime, ObjectMapper json) {
    this.jdbc = jdbc;
    this.runtime = runtime;
    this.json = json;
  }

  /** What became of an ingested event. */
  public record Ingested(String eventId, boolean duplicate, int correlated) {}

  @Transactional
  public Ingested ingest(CustomerEvent event) {
    int inserted = jdbc.sql("""
            INSERT IGNORE INTO customer_event (event_id, type, profile_id, occurred_at, received_at, properties)
            VALUES (?, ?, ?, ?, ?, ?)""")
        .params(event.eventId(), event.type(), event.profileId(), Timestamp.from(event.occurredAt()),
            Timestamp.from(Instant.now()), write(event.properties()))
        .update();
    if (inserted == 0) {
      return new Ingested(event.eventId(), true, 0);
    }
    int correlated = runtime.createMessageCorrelation(event.type())
        .processInstanceBusinessKey(event.profileId())
        .correlateAllWithResult()
        .size();
    return new Ingested(event.eventId(), false, correlated);
  }

  /**
   * Marketing to a customer whose service ticket is open only makes things worse: true while the
   * profile's newest ticket event is {@code ticket.opened} rather than {@code ticket.resolved}.
   */
  public boolean marketingPaused(String profileId) {
    return jdbc.sql("""
            SELECT type FROM customer_event WHERE profile_id = ? AND type IN ('ticket.opened', 'ticket.resolved')
            ORDER BY occurred_at DESC, id DESC LIMIT 1""")
        .param(profileId).query(String.class).optional().map("ticket.opened"::equals).orElse(false);
  }

  /** Every stored event of the profile, oldest first (for export). */
  public java.util.List<CustomerEvent> ofProfile(String profileId) {
    return jdbc.sql("SELECT * FROM customer_event WHERE profile_id = ? ORDER BY occurred_at, id")
        .param(profileId)
        .query((rs, n) -> new CustomerEvent(rs.getString("event_id"), rs.getString("type"), profileId,
            rs.getTimestamp("occurred_at").toInstant(), read(rs.getString("properties"))))
        .list();
  }

  /** Erasure: deletes the profile's events (their properties may hold personal data); returns how many. */
  public int erase(String profileId) {
    return jdbc.sql("DELETE FROM customer_event WHERE profile_id = ?").param(profileId).update();
  }

  private Map<String, Object> read(String text) {
    try {
      return json.readValue(text, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("event properties are not JSON", e);
    }
  }

  private String write(Map<String, Object> properties) {
    try {
      return json.writeValueAsString(properties == null ? Map.of() : properties);
    } catch (JsonProcessingException e) {
      throw ApiProblem.badRequest("invalid-properties", "properties cannot be written as JSON");
    }
  }
}
