package dev.overture.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.platform.ApiProblem;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** The profile store: upsert by identity, look up by id or identity. */
@Service
public class Profiles {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final ObjectMapper json;
  private final TransactionTemplate tx;

  Profiles(JdbcClient jdbc, ObjectMapper json, TransactionTemplate tx) {
    this.jdbc = jdbc;
    this.json = json;
    this.tx = tx;
  }

  /** What an upsert did. */
  public record Upserted(Profile profile, boolean created) {}

  /**
   * Finds the profile that owns any of the identities, or creates one; attributes are merged
   * (JSON merge patch: a null removes a key). Two concurrent creates for one identity end with one
   * profile: the loser of the unique key retries and updates the winner's.
   */
  public Upserted upsert(Map<String, String> identities, Map<String, Object> attributes) {
    Map<IdentityType, String> normal = normalise(identities);
    String patch = write(attributes == null ? Map.of() : attributes);
    try {
      return tx.execute(s -> upsertOnce(normal, patch));
    } catch (DuplicateKeyException raced) {
      return tx.execute(s -> upsertOnce(normal, patch));
    }
  }

  private Upserted upsertOnce(Map<IdentityType, String> identities, String patch) {
    List<String> owners = owners(identities);
    if (owners.size() > 1) {
      throw ApiProblem.conflict("identities-conflict",
          "The identities belong to different profiles " + owners + "; send them separately");
    }
    Timestamp now = Timestamp.from(Instant.now());
    String id;
    boolean created = owners.isEmpty();
    if (created) {
      id = UUID.randomUUID().toString();
      jdbc.sql("INSERT INTO profile (id, attributes, created_at, updated_at) VALUES (?, JSON_MERGE_PATCH('{}', ?), ?, ?)")
          .params(id, patch, now, now).update();
    } else {
      id = owners.get(0);
      jdbc.sql("UPDATE profile SET attributes = JSON_MERGE_PATCH(attributes, ?), updated_at = ? WHERE id = ?")
          .params(patch, now, id).update();
    }
    identities.forEach((type, value) ->
        jdbc.sql("INSERT INTO profile_identity (type, value, profile_id, created_at) VALUES (?, ?, ?, ?) "
                + "ON DUPLICATE KEY UPDATE profile_id = profile_id")
            .params(type.key(), value, id, now).update());
    return new Upserted(find(id).orElseThrow(), created);
  }

  private List<String> owners(Map<IdentityType, String> identities) {
    return identities.entrySet().stream()
        .flatMap(e -> jdbc.sql("SELECT profile_id FROM profile_identity WHERE type = ? AND value = ?")
            .params(e.getKey().key(), e.getValue()).query(String.class).list().stream())
        .distinct()
        .sorted()
        .toList();
  }

  public Optional<Profile> find(String id) {
    return jdbc.sql("SELECT id, attributes, created_at, updated_at FROM profile WHERE id = ?")
        .param(id)
        .query((rs, n) -> new Profile(rs.getString("id"), identitiesOf(id), read(rs.getString("attributes")),
            rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant()))
        .optional();
  }

  /** The profile that owns one of these identities, if exactly one does. */
  public Optional<String> resolve(Map<String, String> identities) {
    List<String> owners = owners(normalise(identities));
    if (owners.size() > 1) {
      throw ApiProblem.conflict("identities-conflict", "The identities belong to different profiles " + owners);
    }
    return owners.stream().findFirst();
  }

  /**
   * A test profile walks journeys with shortened waits and its messages go only to the file
   * outbox. Marked by the attribute {@code testProfile: true}.
   */
  public boolean isTestProfile(String id) {
    return jdbc.sql("SELECT JSON_VALUE(attributes, '$.testProfile') FROM profile WHERE id = ?")
        .param(id).query(String.class).optional().map("true"::equals).orElse(false);
  }

  public boolean exists(String id) {
    return jdbc.sql("SELECT COUNT(*) FROM profile WHERE id = ?").param(id).query(Integer.class).single() > 0;
  }

  /** Every identity of one type that points at the profile, e.g. all its device tokens, oldest first. */
  public List<String> identities(String id, IdentityType type) {
    return jdbc.sql("SELECT value FROM profile_identity WHERE profile_id = ? AND type = ? ORDER BY created_at, value")
        .params(id, type.key()).query(String.class).list();
  }

  /** Every identity of the profile, all values of each type (for export). */
  public Map<String, List<String>> allIdentities(String id) {
    Map<String, List<String>> out = new TreeMap<>();
    jdbc.sql("SELECT type, value FROM profile_identity WHERE profile_id = ? ORDER BY created_at, value")
        .param(id)
        .query(rs -> {
          out.computeIfAbsent(rs.getString("type"), k -> new java.util.ArrayList<>()).add(rs.getString("value"));
        });
    return out;
  }

  /** Erasure: deletes the profile and its identities (callers erase dependent rows first); true if it existed. */
  public boolean erase(String id) {
    return Boolean.TRUE.equals(tx.execute(s -> {
      jdbc.sql("DELETE FROM profile_identity WHERE profile_id = ?").param(id).update();
      return jdbc.sql("DELETE FROM profile WHERE id = ?").param(id).update() == 1;
    }));
  }

  private Map<String, String> identitiesOf(String id) {
    Map<String, String> out = new TreeMap<>();
    jdbc.sql("SELECT type, value FROM profile_identity WHERE profile_id = ? ORDER BY created_at, value")
        .param(id)
        .query(rs -> {
          out.putIfAbsent(rs.getString("type"), rs.getString("value"));
        });
    return out;
  }

  private static Map<IdentityType, String> normalise(Map<String, String> identities) {
    if (identities == null || identities.values().stream().allMatch(v -> v == null || v.isBlank())) {
      throw ApiProblem.badRequest("missing-identity", "At least one identity is required: email, phone, externalId or anonymousId");
    }
    Map<IdentityType, String> out = new LinkedHashMap<>();
    identities.forEach((key, value) -> {
      if (value == null || value.isBlank()) {
        return;
      }
      IdentityType type = IdentityType.fromKey(key).orElseThrow(() -> ApiProblem.badRequest("unknown-identity-type",
          "Unknown identity type '" + key + "'; use email, phone, externalId or anonymousId"));
      try {
        out.put(type, type.normalise(value));
      } catch (IllegalArgumentException e) {
        throw ApiProblem.badRequest("invalid-identity", e.getMessage());
      }
    });
    return out;
  }

  private String write(Map<String, Object> map) {
    try {
      return json.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw ApiProblem.badRequest("invalid-attributes", "attributes cannot be written as JSON");
    }
  }

  private Map<String, Object> read(String text) {
    try {
      return json.readValue(text, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("profile attributes are not JSON", e);
    }
  }
}
