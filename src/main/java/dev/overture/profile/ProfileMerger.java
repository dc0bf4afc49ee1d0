package dev.overture.profile;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Folds profiles into one, deterministically: the oldest (then the smallest id) survives. Runs in
 * the caller's transaction. Identities and attributes move here (the survivor's values win on a
 * clash; reserved attributes stay only where both agree); other modules move their rows in their
 * {@link ProfilesMerged} listener; the merged id stays as an alias in {@code profile_merge}.
 */
@Component
class ProfileMerger {

  private static final Logger log = LoggerFactory.getLogger(ProfileMerger.class);

  private final JdbcClient jdbc;
  private final ApplicationEventPublisher publisher;

  ProfileMerger(JdbcClient jdbc, ApplicationEventPublisher publisher) {
    this.jdbc = jdbc;
    this.publisher = publisher;
  }

  private record Row(String id, Timestamp createdAt) {}

  /**
   * The survivor's attributes after the merge: both JSON-merged, the survivor's values winning; a reserved
   * attribute only where both profiles hold the same value, else it goes. So a merge, which any event source can
   * cause by naming two profiles' identities, cannot carry a test profile's mark onto a customer or take it off one
   * that a trusted caller marked: a customer and a test profile merged are a customer.
   */
  static final String MERGED_ATTRIBUTES = mergedAttributes();

  private static String mergedAttributes() {
    String merged = "JSON_MERGE_PATCH(m.attributes, s.attributes)";
    for (String name : ReservedAttributes.NAMES.stream().sorted().toList()) {
      String path = "'$." + name + "'";
      merged = "IF(JSON_EXTRACT(m.attributes, " + path + ") <=> JSON_EXTRACT(s.attributes, " + path + "), " + merged
          + ", JSON_REMOVE(" + merged + ", " + path + "))";
    }
    return merged;
  }

  /** Merges the profiles; returns the survivor's id. Locks the rows in id order to avoid deadlocks. */
  String merge(List<String> profileIds, String reason) {
    List<Row> rows = new ArrayList<>(jdbc.sql("SELECT id, created_at FROM profile WHERE id IN (:ids) ORDER BY id FOR UPDATE")
        .param("ids", profileIds)
        .query((rs, n) -> new Row(rs.getString("id"), rs.getTimestamp("created_at")))
        .list());
    if (rows.size() < 2) {
      return rows.isEmpty() ? profileIds.get(0) : rows.get(0).id();
    }
    rows.sort(Comparator.comparing(Row::createdAt).thenComparing(Row::id));
    String survivor = rows.get(0).id();
    Timestamp now = Timestamp.from(Instant.now());
    for (Row merged : rows.subList(1, rows.size())) {
      String from = merged.id();
      jdbc.sql("UPDATE profile s JOIN profile m ON m.id = ? SET s.attributes = " + MERGED_ATTRIBUTES
              + ", s.updated_at = ? WHERE s.id = ?")
          .params(from, now, survivor).update();
      jdbc.sql("UPDATE profile_identity SET profile_id = ? WHERE profile_id = ?").params(survivor, from).update();
      // aliases of the merged profile become aliases of the survivor
      jdbc.sql("UPDATE profile_merge SET survivor_id = ? WHERE survivor_id = ?").params(survivor, from).update();
      jdbc.sql("INSERT INTO profile_merge (survivor_id, merged_id, reason, merged_at) VALUES (?, ?, ?, ?)")
          .params(survivor, from, truncate(reason), now).update();
      publisher.publishEvent(new ProfilesMerged(survivor, from, reason));
      jdbc.sql("DELETE FROM profile WHERE id = ?").param(from).update();
      log.info("Merged profile {} into {} ({})", from, survivor, reason);
    }
    return survivor;
  }

  private static String truncate(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500);
  }
}
