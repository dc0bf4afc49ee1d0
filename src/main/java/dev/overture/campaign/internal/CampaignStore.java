package dev.overture.campaign.internal;

import dev.overture.campaign.Campaign;
import dev.overture.campaign.Campaign.AuditEntry;
import dev.overture.campaign.NewCampaign;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Tables {@code campaign} and {@code campaign_audit}; joins the caller's transaction (the engine's, in delegates). */
@Repository
public class CampaignStore {

  private final JdbcClient jdbc;

  CampaignStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public void insert(String id, NewCampaign c, String author, String status, Instant now) {
    jdbc.sql("""
            INSERT INTO campaign (id, campaign_key, name, journey_key, segment_key, profile_id, creative_keys,
                                  start_at, end_at, author, status, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
        .params(id, c.key(), c.name(), c.journeyKey(), c.segmentKey(), c.profileId(), String.join(",", c.creativeKeys()),
            Timestamp.from(c.startAt()), Timestamp.from(c.endAt()), author, status, Timestamp.from(now), Timestamp.from(now))
        .update();
  }

  public void attachProcess(String id, String processInstanceId) {
    jdbc.sql("UPDATE campaign SET process_instance_id = ? WHERE id = ?").params(processInstanceId, id).update();
  }

  public void status(String id, String status) {
    jdbc.sql("UPDATE campaign SET status = ?, updated_at = ? WHERE id = ?")
        .params(status, Timestamp.from(Instant.now()), id).update();
  }

  public void enrolled(String id, long count) {
    jdbc.sql("UPDATE campaign SET enrolled = ?, updated_at = ? WHERE id = ?")
        .params(count, Timestamp.from(Instant.now()), id).update();
  }

  public Optional<Campaign> find(String idOrKey) {
    return jdbc.sql("SELECT * FROM campaign WHERE id = ? OR campaign_key = ?")
        .params(idOrKey, idOrKey)
        .query(CampaignStore::campaign)
        .optional()
        .map(c -> new Campaign(c.id(), c.key(), c.name(), c.journeyKey(), c.segmentKey(), c.profileId(), c.creativeKeys(),
            c.startAt(), c.endAt(), c.author(), c.status(), c.processInstanceId(), c.enrolled(), c.createdAt(), null,
            audit(c.id())));
  }

  public boolean keyTaken(String key) {
    return jdbc.sql("SELECT COUNT(*) FROM campaign WHERE campaign_key = ?").param(key).query(Integer.class).single() > 0;
  }

  public void audit(String campaignId, String step, String actor, String decision, String versions, String comment) {
    jdbc.sql("""
            INSERT INTO campaign_audit (campaign_id, step, actor, decision, creative_versions, comment, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)""")
        .params(campaignId, step, actor, decision, versions, comment, Timestamp.from(Instant.now()))
        .update();
  }

  public List<AuditEntry> audit(String campaignId) {
    return jdbc.sql("SELECT * FROM campaign_audit WHERE campaign_id = ? ORDER BY id")
        .param(campaignId)
        .query((rs, n) -> new AuditEntry(rs.getString("step"), rs.getString("actor"), rs.getString("decision"),
            rs.getString("creative_versions"), rs.getString("comment"), rs.getTimestamp("recorded_at").toInstant()))
        .list();
  }

  private static Campaign campaign(ResultSet rs, int n) throws SQLException {
    return new Campaign(rs.getString("id"), rs.getString("campaign_key"), rs.getString("name"), rs.getString("journey_key"),
        rs.getString("segment_key"), rs.getString("profile_id"), Arrays.asList(rs.getString("creative_keys").split(",")),
        rs.getTimestamp("start_at").toInstant(), rs.getTimestamp("end_at").toInstant(), rs.getString("author"),
        rs.getString("status"), rs.getString("process_instance_id"), rs.getLong("enrolled"),
        rs.getTimestamp("created_at").toInstant(), null, List.of());
  }
}
