package dev.overture.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads of many profiles at once, for callers that handle a batch (the dispatcher's claimed rows, a
 * batch of events): a fixed number of queries per batch instead of several per profile. Same answers
 * as {@link Profiles#canonicalId} and {@link Profiles#find} one by one.
 */
@Component
class ProfileBatchReads {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final ObjectMapper json;

  ProfileBatchReads(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /**
   * One round trip that resolves each id in {@code :ids} (column 1) to the profile {@code p} it names now,
   * selecting {@code columns} of it: a merged id names its survivor (merges are flattened, so one hop), any
   * other id itself, and either only if that profile exists.
   */
  private static String resolving(String columns) {
    return "SELECT m.merged_id, " + columns + " FROM profile_merge m JOIN profile p ON p.id = m.survivor_id"
        + " WHERE m.merged_id IN (:ids)"
        + " UNION ALL SELECT p.id, " + columns + " FROM profile p"
        + " WHERE p.id IN (:ids) AND NOT EXISTS (SELECT 1 FROM profile_merge m WHERE m.merged_id = p.id)";
  }

  /** Requested id → the id of the profile it names now (itself, or the survivor of a merge); unknown ids are absent. */
  Map<String, String> canonicalIds(Collection<String> requested) {
    Set<String> ids = new HashSet<>(requested);
    ids.remove(null);
    Map<String, String> candidate = new HashMap<>();
    if (ids.isEmpty()) {
      return candidate;
    }
    jdbc.sql(resolving("p.id"))
        .param("ids", ids)
        .query(rs -> {
          candidate.put(rs.getString(1), rs.getString(2));
        });
    return candidate;
  }

  /** Survivor id → the ids merged into it, oldest merge first; profiles without aliases are absent. */
  Map<String, List<String>> aliases(Collection<String> survivors) {
    Map<String, List<String>> out = new HashMap<>();
    if (survivors.isEmpty()) {
      return out;
    }
    jdbc.sql("SELECT survivor_id, merged_id FROM profile_merge WHERE survivor_id IN (:ids) ORDER BY id")
        .param("ids", new HashSet<>(survivors))
        .query(rs -> {
          out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
        });
    return out;
  }

  /** Requested id → its profile (with the first identity of each type, as {@link Profiles#find}); unknown ids are absent. */
  Map<String, Profile> find(Collection<String> requested) {
    Set<String> asked = new HashSet<>(requested);
    asked.remove(null);
    Map<String, Profile> out = new HashMap<>();
    if (asked.isEmpty()) {
      return out;
    }
    // the canonical id and the profile row in one round trip, then the identities
    record Found(String asked, String id, String attributes, java.time.Instant createdAt, java.time.Instant updatedAt) {}
    List<Found> found = jdbc.sql(resolving("p.id, p.attributes, p.created_at, p.updated_at"))
        .param("ids", asked)
        .query((rs, n) -> new Found(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
            rs.getTimestamp(5).toInstant()))
        .list();
    if (found.isEmpty()) {
      return out;
    }
    Map<String, Map<String, String>> identities = new HashMap<>();
    jdbc.sql("SELECT profile_id, type, value FROM profile_identity WHERE profile_id IN (:ids) ORDER BY created_at, value")
        .param("ids", found.stream().map(Found::id).collect(java.util.stream.Collectors.toSet()))
        .query(rs -> {
          identities.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).putIfAbsent(rs.getString(2), rs.getString(3));
        });
    Map<String, Profile> byId = new HashMap<>();
    for (Found f : found) {
      Profile p = byId.computeIfAbsent(f.id(), id -> new Profile(id, identities.getOrDefault(id, new TreeMap<>()),
          read(f.attributes()), f.createdAt(), f.updatedAt()));
      out.put(f.asked(), p);
    }
    return out;
  }

  /** Profile id → its identities of one type, oldest first; profiles without any are absent. */
  Map<String, List<String>> identities(Collection<String> profileIds, IdentityType type) {
    Map<String, List<String>> out = new HashMap<>();
    if (profileIds.isEmpty()) {
      return out;
    }
    jdbc.sql("SELECT profile_id, value FROM profile_identity WHERE profile_id IN (:ids) AND type = :type ORDER BY created_at, value")
        .param("ids", new HashSet<>(profileIds)).param("type", type.key())
        .query(rs -> {
          out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
        });
    return out;
  }

  private Map<String, Object> read(String text) {
    try {
      return text == null ? new HashMap<>() : json.readValue(text, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("profile attributes are not JSON", e);
    }
  }
}
