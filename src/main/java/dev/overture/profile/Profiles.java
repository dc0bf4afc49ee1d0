package dev.overture.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.platform.Conflict;
import dev.overture.platform.InvalidInput;
import dev.overture.profile.internal.ProfileScan;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The profile store: upsert by identity, look up by id or identity. Identities that turn out to
 * belong to several profiles merge them into the oldest; a merged-away id stays an alias. The scan of
 * profiles by attribute conditions, for segments, is {@code internal/ProfileScan}.
 */
@Service
public class Profiles {

  private final JdbcClient jdbc;
  private final ObjectMapper json;
  private final TransactionTemplate tx;
  private final ProfileMerger merger;
  private final MergeRetry retry;
  private final ProfileBatchReads batch;
  private final ProfileScan scan;
  private final ApplicationEventPublisher publisher;

  Profiles(JdbcClient jdbc, ObjectMapper json, TransactionTemplate tx, ProfileMerger merger, MergeRetry retry,
      ProfileBatchReads batch, ProfileScan scan, ApplicationEventPublisher publisher) {
    this.publisher = publisher;
    this.batch = batch;
    this.scan = scan;
    this.jdbc = jdbc;
    this.json = json;
    this.tx = tx;
    this.merger = merger;
    this.retry = retry;
  }

  /** What an upsert did. */
  public record Upserted(Profile profile, boolean created) {}

  /**
   * Finds the profile that owns any of the identities, or creates one; attributes are merged
   * (JSON merge patch: a null removes a key). Identities owned by different profiles merge those
   * profiles (see {@link ProfileMerger}). A transaction that loses a race (two creates of one
   * identity, a merge against the job executor moving the same journey) runs again, see {@link MergeRetry}.
   */
  public Upserted upsert(Map<String, String> identities, Map<String, Object> attributes) {
    Map<IdentityType, String> normal = IdentityType.normaliseAll(identities);
    String patch = write(attributes == null ? Map.of() : attributes);
    ProfileReadScope.changed();
    return retry.run(() -> tx.execute(s -> upsertOnce(normal, patch)));
  }

  /**
   * The profile that already owns every one of these identities, if one does: lets a caller skip the
   * write of {@link #upsert} when nothing would change (the usual case for a stream of events).
   */
  public Optional<String> ownerOfAll(Map<String, String> identities) {
    Map<IdentityType, String> normal = IdentityType.normaliseAll(identities);
    Map<IdentityType, String> owners = ownerOfEach(normal);
    List<String> distinct = owners.values().stream().distinct().toList();
    return owners.size() == normal.size() && distinct.size() == 1 ? Optional.of(distinct.get(0)) : Optional.empty();
  }

  /** Checks identities the way {@link #upsert} would, without touching the store. */
  public void validateIdentities(Map<String, String> identities) {
    IdentityType.normaliseAll(identities);
  }

  /**
   * Merges two profiles (e.g. a Segment {@code alias}); the older survives and is returned. The
   * same profile twice, or an id that is already an alias of the other, is a no-op.
   */
  public String merge(String profileA, String profileB, String reason) {
    ProfileReadScope.changed();
    return retry.run(() -> tx.execute(s -> {
      String a = canonicalId(profileA).orElseThrow(() -> new UnknownProfile(profileA));
      String b = canonicalId(profileB).orElseThrow(() -> new UnknownProfile(profileB));
      return a.equals(b) ? a : merger.merge(List.of(a, b), reason);
    }));
  }

  /** The id itself if it is a profile, the survivor's if it was merged away, else empty. */
  public Optional<String> canonicalId(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(batch.canonicalIds(List.of(id)).get(id));
  }

  /** {@link #canonicalId} for many ids in two queries: requested id → canonical id; unknown ids are absent. */
  public Map<String, String> canonicalIds(Collection<String> ids) {
    return batch.canonicalIds(ids);
  }

  /** {@link #find} for many ids in four queries: requested id → profile; unknown ids are absent. */
  public Map<String, Profile> findAll(Collection<String> ids) {
    return batch.find(ids);
  }

  /** {@link #identities(String, IdentityType)} for many profiles in one query; profiles without any are absent. */
  public Map<String, List<String>> identities(Collection<String> profileIds, IdentityType type) {
    return batch.identities(profileIds, type);
  }

  /** Ids merged into this profile over time; journeys keyed by them belong to it now. */
  public List<String> aliasesOf(String id) {
    return batch.aliases(List.of(id)).getOrDefault(id, List.of());
  }

  /** {@link #aliasesOf} for many profiles in one query; profiles without aliases are absent. */
  public Map<String, List<String>> aliasesOf(Collection<String> ids) {
    return batch.aliases(ids);
  }

  /** The merges this profile survived, oldest first. */
  public List<ProfilesMerged> mergesInto(String id) {
    return jdbc.sql("SELECT survivor_id, merged_id, reason FROM profile_merge WHERE survivor_id = ? ORDER BY id")
        .param(id)
        .query((rs, n) -> new ProfilesMerged(rs.getString("survivor_id"), rs.getString("merged_id"), rs.getString("reason")))
        .list();
  }

  /**
   * One attempt of {@link #upsert}. A profile is only ever created together with an identity that names
   * it: identities go in with a plain insert, so the loser of two creates of one identity gets a
   * duplicate key, rolls back its profile with it, and its next attempt finds the winner's.
   */
  private Upserted upsertOnce(Map<IdentityType, String> identities, String patch) {
    Map<IdentityType, String> owned = ownerOfEach(identities);
    List<String> owners = owned.values().stream().distinct().sorted().toList();
    if (owners.size() > 1) {
      String survivor = merger.merge(owners, "identities " + identities.keySet().stream().map(IdentityType::key).toList()
          + " named in one request belonged to " + owners.size() + " profiles");
      owners = List.of(survivor);
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
      int updated = jdbc.sql("UPDATE profile SET attributes = JSON_MERGE_PATCH(attributes, ?), updated_at = ? WHERE id = ?")
          .params(patch, now, id).update();
      if (updated == 0) {
        throw new ConcurrencyFailureException("profile " + id + " was merged away or erased since its identities were read");
      }
    }
    for (Map.Entry<IdentityType, String> e : identities.entrySet()) {
      if (!owned.containsKey(e.getKey())) {
        jdbc.sql("INSERT INTO profile_identity (type, value, profile_id, created_at) VALUES (?, ?, ?, ?)")
            .params(e.getKey().key(), e.getValue(), id, now).update();
      }
    }
    if (created || !"{}".equals(patch)) {
      publisher.publishEvent(new ProfileChanged(id));
    }
    return new Upserted(find(id).orElseThrow(), created);
  }

  /** Identity → the profile that owns it, in one query; identities nobody owns are absent. */
  private Map<IdentityType, String> ownerOfEach(Map<IdentityType, String> identities) {
    Map<IdentityType, String> out = new LinkedHashMap<>();
    if (identities.isEmpty()) {
      return out;
    }
    List<Object> params = new java.util.ArrayList<>();
    identities.forEach((type, value) -> {
      params.add(type.key());
      params.add(value);
    });
    jdbc.sql("SELECT type, profile_id FROM profile_identity WHERE "
            + String.join(" OR ", java.util.Collections.nCopies(identities.size(), "(type = ? AND value = ?)")))
        .params(params)
        .query(rs -> {
          String type = rs.getString(1);
          out.put(IdentityType.fromKey(type).orElseThrow(), rs.getString(2));
        });
    return out;
  }

  /** The profile, following a merged-away id to its survivor (read with the others of a {@link ProfileReadScope}). */
  public Optional<Profile> find(String requestedId) {
    return requestedId == null ? Optional.empty() : Optional.ofNullable(ProfileReadScope.read(requestedId, batch::find).get(requestedId));
  }

  /** The profile that owns one of these identities, if exactly one does. */
  public Optional<String> resolve(Map<String, String> identities) {
    List<String> owners = ownerOfEach(IdentityType.normaliseAll(identities)).values().stream().distinct().sorted().toList();
    if (owners.size() > 1) {
      throw new Conflict("identities-conflict", "The identities belong to different profiles " + owners);
    }
    return owners.stream().findFirst();
  }

  /** Whether the profile is a test profile ({@link TestProfiles}: attribute {@code testProfile: true}). */
  public boolean isTestProfile(String id) {
    return find(id).map(TestProfiles::isTest).orElse(false);
  }

  /** Merges attributes into an existing profile (JSON merge patch: a null removes a key); false if it does not exist. */
  public boolean updateAttributes(String id, Map<String, Object> attributes) {
    String target = canonicalId(id).orElse(id);
    ProfileReadScope.changed();
    boolean updated = jdbc.sql("UPDATE profile SET attributes = JSON_MERGE_PATCH(attributes, ?), updated_at = ? WHERE id = ?")
        .params(write(attributes), Timestamp.from(Instant.now()), target).update() == 1;
    if (updated) {
      publisher.publishEvent(new ProfileChanged(target));
    }
    return updated;
  }

  /** True for a profile id and for an alias left by a merge. */
  public boolean exists(String id) {
    return canonicalId(id).isPresent();
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

  /**
   * Erasure: deletes the profile, its identities and the links of the ids merged into it (callers erase
   * dependent rows first, and look up those ids before); true if it existed.
   */
  public boolean erase(String id) {
    ProfileReadScope.changed();
    return Boolean.TRUE.equals(tx.execute(s -> {
      jdbc.sql("DELETE FROM profile_identity WHERE profile_id = ?").param(id).update();
      jdbc.sql("DELETE FROM profile_merge WHERE survivor_id = ?").param(id).update();
      publisher.publishEvent(new ProfileErased(id));
      return jdbc.sql("DELETE FROM profile WHERE id = ?").param(id).update() == 1;
    }));
  }

  // ---- scanning for segments: keyset pages in id order, never the whole table in memory ----

  /** Up to {@code limit} profiles with ids after {@code afterId} (exclusive, "" = start) that meet all conditions. */
  public List<ProfileAttributes> page(String afterId, int limit, List<AttributeCondition> conditions) {
    return scan.page(afterId, limit, conditions);
  }

  /** Like {@link #page} without reading attributes: for conditions that decide membership on their own. */
  public List<String> pageOfIds(String afterId, int limit, List<AttributeCondition> conditions) {
    return scan.pageOfIds(afterId, limit, conditions);
  }

  /** How many profiles meet all conditions. */
  public long count(List<AttributeCondition> conditions) {
    return scan.count(conditions);
  }

  private String write(Map<String, Object> map) {
    try {
      return json.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new InvalidInput("invalid-attributes", "attributes cannot be written as JSON");
    }
  }
}
