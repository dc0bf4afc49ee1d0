package dev.overture.journey.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code journey_migration} rows, the audit of every migration started through the API (who, when, which
 * versions, which element mapping, which instances), and how many of its instances are on the target version now.
 */
@Component
public class MigrationStore {

  private static final int ROWS_PER_STATEMENT = 500;

  private final JdbcClient jdbc;
  private final ObjectMapper json;

  MigrationStore(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** A stored migration. */
  public record Stored(String id, String journeyKey, int fromVersion, int toVersion, List<MigrationPlans.Instruction> instructions,
      String batchId, int instances, String startedBy, Instant startedAt) {}

  public void insert(Stored m, List<String> instanceIds) {
    jdbc.sql("""
            INSERT INTO journey_migration (id, journey_key, from_version, to_version, instructions, batch_id, instances, started_by,
              started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
        .params(m.id(), m.journeyKey(), m.fromVersion(), m.toVersion(), write(m.instructions()), m.batchId(), m.instances(),
            m.startedBy(), LocalDateTime.ofInstant(m.startedAt(), ZoneOffset.UTC))
        .update();
    for (int i = 0; i < instanceIds.size(); i += ROWS_PER_STATEMENT) {
      List<String> part = instanceIds.subList(i, Math.min(instanceIds.size(), i + ROWS_PER_STATEMENT));
      List<Object> args = new ArrayList<>();
      part.forEach(id -> args.addAll(List.of(m.id(), id)));
      jdbc.sql("INSERT INTO journey_migration_instance (migration_id, instance_id) VALUES "
          + String.join(", ", Collections.nCopies(part.size(), "(?, ?)"))).params(args).update();
    }
  }

  public Optional<Stored> find(String journeyKey, String id) {
    return jdbc.sql("SELECT * FROM journey_migration WHERE id = ? AND journey_key = ?").params(id, journeyKey)
        .query((rs, n) -> new Stored(rs.getString("id"), rs.getString("journey_key"), rs.getInt("from_version"),
            rs.getInt("to_version"), read(rs.getString("instructions")), rs.getString("batch_id"), rs.getInt("instances"),
            rs.getString("started_by"), rs.getObject("started_at", LocalDateTime.class).toInstant(ZoneOffset.UTC)))
        .optional();
  }

  /** The journey's migrations whose Camunda batch is one of these (the batches still running). */
  public List<String> withBatches(String journeyKey, List<String> batchIds) {
    if (batchIds.isEmpty()) {
      return List.of();
    }
    return jdbc.sql("SELECT id FROM journey_migration WHERE journey_key = :key AND batch_id IN (:batches)")
        .param("key", journeyKey).param("batches", batchIds).query(String.class).list();
  }

  /** The migration's instances whose journey log row is on its target version now. */
  public long migrated(Stored m) {
    return jdbc.sql("""
            SELECT COUNT(*) FROM journey_migration_instance i JOIN journey_run r ON r.instance_id = i.instance_id
            WHERE i.migration_id = ? AND r.version = ?""")
        .params(m.id(), m.toVersion()).query(Long.class).single();
  }

  private String write(List<MigrationPlans.Instruction> instructions) {
    try {
      return json.writeValueAsString(instructions);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Instructions are plain strings", e);
    }
  }

  private List<MigrationPlans.Instruction> read(String stored) {
    try {
      return json.readValue(stored, new TypeReference<>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("journey_migration.instructions is not the JSON this class writes", e);
    }
  }
}
