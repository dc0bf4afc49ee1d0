package dev.overture.journey.internal;

import dev.overture.journey.JourneyVersion;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code journey_version} rows: each journey version's state and who moved it there, when. */
@Component
public class JourneyVersionStore {

  public static final String DRAFT = JourneyVersion.DRAFT;
  public static final String IN_REVIEW = JourneyVersion.IN_REVIEW;
  public static final String LIVE = JourneyVersion.LIVE;
  public static final String RETIRED = JourneyVersion.RETIRED;

  private final JdbcClient jdbc;

  JourneyVersionStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The journey's versions, oldest first; empty for a journey deployed before versions were kept, and for approval processes. */
  public List<JourneyVersion> of(String journeyKey) {
    return jdbc.sql("SELECT * FROM journey_version WHERE journey_key = ? ORDER BY version").param(journeyKey)
        .query(JourneyVersionStore::row).list();
  }

  /** As {@link #of}, each row locked until the transaction ends: one decision per journey at a time. */
  public List<JourneyVersion> lock(String journeyKey) {
    return jdbc.sql("SELECT * FROM journey_version WHERE journey_key = ? ORDER BY version FOR UPDATE").param(journeyKey)
        .query(JourneyVersionStore::row).list();
  }

  /** Whether any journey version was ever recorded. */
  boolean any() {
    return jdbc.sql("SELECT COUNT(*) FROM journey_version").query(Long.class).single() > 0;
  }

  /**
   * JourneyVersions for the journey's versions deployed before versions were kept, the newest of them live: what took entries
   * until now goes on doing so. Does nothing for a journey that has rows.
   */
  void adopt(String journeyKey, String exceptDefinitionId, Instant now) {
    if (!of(journeyKey).isEmpty()) {
      return;
    }
    List<String> earlier = jdbc.sql("SELECT ID_ FROM ACT_RE_PROCDEF WHERE KEY_ = ? AND ID_ <> ? ORDER BY VERSION_ DESC")
        .params(journeyKey, exceptDefinitionId).query(String.class).list();
    for (int i = 0; i < earlier.size(); i++) {
      jdbc.sql("INSERT INTO journey_version (process_definition_id, journey_key, version, state, deployed_at, live_since, changed_at) "
              + "SELECT ID_, KEY_, VERSION_, ?, ?, ?, ? FROM ACT_RE_PROCDEF WHERE ID_ = ?")
          .params(i == 0 ? LIVE : RETIRED, Timestamp.from(now), i == 0 ? Timestamp.from(now) : null, Timestamp.from(now),
              earlier.get(i))
          .update();
    }
  }

  void insert(String definitionId, String journeyKey, int version, String state, String author, Instant now) {
    jdbc.sql("INSERT INTO journey_version (process_definition_id, journey_key, version, state, author, deployed_at, live_since, "
            + "changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .params(definitionId, journeyKey, version, state, author, Timestamp.from(now),
            LIVE.equals(state) ? Timestamp.from(now) : null, Timestamp.from(now))
        .update();
  }

  /** A review was asked for: the version waits in {@code in_review}, and a rejection returns it to its state now. */
  public void requested(String definitionId, String by, String reviewInstanceId, Instant now) {
    jdbc.sql("UPDATE journey_version SET review_of = state, state = ?, requested_by = ?, requested_at = ?, review_instance_id = ?, "
            + "reviewer = NULL, reviewed_at = NULL, review_comment = NULL, changed_at = ? WHERE process_definition_id = ?")
        .params(IN_REVIEW, by, Timestamp.from(now), reviewInstanceId, Timestamp.from(now), definitionId).update();
  }

  /** The reviewer rejected: back to the state before the review, with the comment. */
  public void rejected(String definitionId, String reviewer, String comment, Instant now) {
    jdbc.sql("UPDATE journey_version SET state = review_of, review_of = NULL, reviewer = ?, reviewed_at = ?, review_comment = ?, "
            + "changed_at = ? WHERE process_definition_id = ?")
        .params(reviewer, Timestamp.from(now), comment, Timestamp.from(now), definitionId).update();
  }

  /** The version is live from now; {@code reviewer} null when it went live without a review. */
  public void live(String definitionId, String reviewer, String comment, Instant now) {
    jdbc.sql("UPDATE journey_version SET state = ?, review_of = NULL, reviewer = COALESCE(?, reviewer), "
            + "reviewed_at = COALESCE(?, reviewed_at), review_comment = COALESCE(?, review_comment), live_since = ?, "
            + "retired_at = NULL, changed_at = ? WHERE process_definition_id = ?")
        .params(LIVE, reviewer, reviewer == null ? null : Timestamp.from(now), comment, Timestamp.from(now), Timestamp.from(now),
            definitionId)
        .update();
  }

  public void retired(String definitionId, Instant now) {
    jdbc.sql("UPDATE journey_version SET state = ?, retired_at = ?, changed_at = ? WHERE process_definition_id = ?")
        .params(RETIRED, Timestamp.from(now), Timestamp.from(now), definitionId).update();
  }

  private static JourneyVersion row(ResultSet rs, int n) throws SQLException {
    return new JourneyVersion(rs.getString("process_definition_id"), rs.getString("journey_key"), rs.getInt("version"),
        rs.getString("state"), rs.getString("review_of"), rs.getString("author"), instant(rs, "deployed_at"),
        rs.getString("requested_by"), instant(rs, "requested_at"), rs.getString("review_instance_id"),
        rs.getString("reviewer"), instant(rs, "reviewed_at"), rs.getString("review_comment"), instant(rs, "live_since"),
        instant(rs, "retired_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getTimestamp(column)).map(Timestamp::toInstant).orElse(null);
  }
}
