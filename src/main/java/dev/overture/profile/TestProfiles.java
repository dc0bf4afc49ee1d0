package dev.overture.profile;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Test profiles (attribute {@code testProfile: true}): they walk journeys with every wait shortened, their
 * messages go only to the file outbox, and they count in no stats, results, caps or metrics (docs/events.md,
 * "Test mode"). The rule once, in Java for a profile already read and in SQL for the reads that tell it along
 * with what their caller reads anyway, so that telling costs no statement of its own.
 */
@Component
public class TestProfiles {

  /** The attribute that makes a profile a test profile. */
  public static final String ATTRIBUTE = "testProfile";
  /**
   * The rule over {@code profile p}, as 1 or 0: JSON {@code true} or the string {@code "true"}, as {@link #isTest(Map)}
   * reads them (MariaDB's JSON_VALUE gives 1 for {@code true}, so the unquoted text is compared).
   */
  private static final String IS_TEST = "COALESCE(JSON_UNQUOTE(JSON_EXTRACT(p.attributes, '$." + ATTRIBUTE + "')) = 'true', 0)";

  private final JdbcClient jdbc;

  TestProfiles(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Whether these attributes (of a profile already read) make a test profile. */
  public static boolean isTest(Map<String, Object> attributes) {
    return attributes != null && "true".equals(String.valueOf(attributes.get(ATTRIBUTE)));
  }

  /** Whether the profile is a test profile. */
  public static boolean isTest(Profile profile) {
    return profile != null && isTest(profile.attributes());
  }

  /**
   * Locks the profile row until the caller's transaction ends, as {@link Profiles#lockForUpdate} does, and
   * tells in the same statement whether it is a test profile; empty if there is no such profile.
   */
  public Optional<Boolean> lockForUpdate(String id) {
    return jdbc.sql("SELECT " + IS_TEST + " FROM profile p WHERE p.id = ? FOR UPDATE").param(id).query(Boolean.class).optional();
  }

  /** What an entry decision reads with its lock on the profile row: whether it is a test profile, whether any id was merged into it. */
  public record EntryLock(boolean test, boolean hasAliases) {}

  /**
   * As {@link #lockForUpdate}, and in the same statement whether any profile was merged into this one (then its
   * journeys may also run under the merged-away ids); empty if no profile row has this id, which is also the case
   * of a merged-away id: a merge deletes that row.
   */
  public Optional<EntryLock> lockForEntry(String id) {
    return jdbc.sql("SELECT " + IS_TEST + ", EXISTS (SELECT 1 FROM profile_merge m WHERE m.survivor_id = p.id) "
            + "FROM profile p WHERE p.id = ? FOR UPDATE")
        .param(id).query((rs, n) -> new EntryLock(rs.getBoolean(1), rs.getBoolean(2))).optional();
  }

  /**
   * Locks these profiles' rows until the caller's transaction ends, in id order (two callers locking overlapping sets
   * wait for each other rather than deadlock), in one statement: what a chunk of entries takes before it decides by
   * the profiles' running journeys, as one entry does with {@link #lockForEntry}.
   */
  public void lockAll(Collection<String> profileIds) {
    if (!profileIds.isEmpty()) {
      jdbc.sql("SELECT p.id FROM profile p WHERE p.id IN (:ids) ORDER BY p.id FOR UPDATE").param("ids", new HashSet<>(profileIds))
          .query(String.class).list();
    }
  }

  /** Of these profiles, the test profiles, in one query. */
  public Set<String> among(Collection<String> profileIds) {
    Set<String> asked = new HashSet<>(profileIds);
    asked.remove(null);
    if (asked.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(jdbc.sql("SELECT p.id FROM profile p WHERE p.id IN (:ids) AND " + IS_TEST)
        .param("ids", asked).query(String.class).list());
  }

  /**
   * Whether the profile this id names (itself, or the survivor of a merge) is a test profile; empty when it
   * names none. One statement: what {@link Profiles#exists} answers, with the flag.
   */
  public Optional<Boolean> of(String id) {
    if (id == null) {
      return Optional.empty();
    }
    return jdbc.sql("SELECT " + IS_TEST + " FROM profile_merge m JOIN profile p ON p.id = m.survivor_id WHERE m.merged_id = :id "
            + "UNION ALL SELECT " + IS_TEST + " FROM profile p WHERE p.id = :id LIMIT 1")
        .param("id", id).query(Boolean.class).optional();
  }
}
