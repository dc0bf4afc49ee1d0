package dev.overture.sendtime.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code send_time_engagement} table: engagements added as they are recorded, read back per profile or summed. */
@Component
public class EngagementStore {

  private final JdbcClient jdbc;

  EngagementStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** One open or click, already placed in its profile's local hour of the week. */
  public record Engagement(String profileId, String channel, int hourOfWeek, boolean click, Instant at) {}

  /** A profile's history on one channel: stored weights per hour of the week and what they were made of. */
  public record History(double[] weights, int opens, int clicks) {}

  /** Adds the engagements in one statement, rows in key order so that two batches never wait on each other in a circle. */
  void add(List<Engagement> engagements) {
    Map<String, Row> rows = new HashMap<>();
    for (Engagement e : engagements) {
      String key = e.profileId() + '\u0000' + e.channel() + '\u0000' + e.hourOfWeek();
      rows.computeIfAbsent(key, k -> new Row(e.profileId(), e.channel(), e.hourOfWeek())).add(e);
    }
    List<Row> sorted = rows.values().stream()
        .sorted(Comparator.comparing(Row::profileId).thenComparing(Row::channel).thenComparingInt(Row::hour)).toList();
    StringBuilder sql = new StringBuilder("INSERT INTO send_time_engagement"
        + " (profile_id, channel, hour_of_week, weight, opens, clicks, last_at) VALUES ");
    List<Object> params = new ArrayList<>();
    for (Row r : sorted) {
      sql.append(params.isEmpty() ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?)");
      params.addAll(List.of(r.profileId, r.channel, r.hour, r.weight, r.opens, r.clicks, Timestamp.from(r.last)));
    }
    sql.append(" ON DUPLICATE KEY UPDATE weight = weight + VALUES(weight), opens = opens + VALUES(opens),"
        + " clicks = clicks + VALUES(clicks), last_at = GREATEST(last_at, VALUES(last_at))");
    jdbc.sql(sql.toString()).params(params).update();
  }

  /** The profile's history on the channel; all zero when it has none. */
  public History history(String profileId, String channel) {
    double[] weights = new double[EngagementModel.HOURS];
    int[] counts = new int[2];
    jdbc.sql("SELECT hour_of_week, weight, opens, clicks FROM send_time_engagement WHERE profile_id = ? AND channel = ?")
        .params(profileId, channel)
        .query(rs -> {
          weights[rs.getInt(1)] = rs.getDouble(2);
          counts[0] += rs.getInt(3);
          counts[1] += rs.getInt(4);
        });
    return new History(weights, counts[0], counts[1]);
  }

  /** Everyone's stored weights per hour of the week on the channel, summed: the population's model. */
  double[] population(String channel) {
    double[] sums = new double[EngagementModel.HOURS];
    jdbc.sql("SELECT hour_of_week, SUM(weight) FROM send_time_engagement WHERE channel = ? GROUP BY hour_of_week")
        .param(channel)
        .query(rs -> {
          sums[rs.getInt(1)] = rs.getDouble(2);
        });
    return sums;
  }

  /**
   * Folds a merged-away profile's history into its survivor's, in the merge's transaction (the derived table's own
   * column names keep the update's columns the target's, which MariaDB would otherwise call ambiguous).
   */
  public void merge(String mergedId, String survivorId) {
    int moved = jdbc.sql("""
            INSERT INTO send_time_engagement (profile_id, channel, hour_of_week, weight, opens, clicks, last_at)
            SELECT :survivor, m.c, m.h, m.w, m.o, m.k, m.l FROM (
              SELECT channel AS c, hour_of_week AS h, weight AS w, opens AS o, clicks AS k, last_at AS l
              FROM send_time_engagement WHERE profile_id = :merged) m
            ON DUPLICATE KEY UPDATE weight = weight + VALUES(weight), opens = opens + VALUES(opens),
              clicks = clicks + VALUES(clicks), last_at = GREATEST(last_at, VALUES(last_at))""")
        .param("survivor", survivorId).param("merged", mergedId).update();
    if (moved > 0) {
      erase(mergedId);
    }
  }

  /** Forgets the profile's history; the number of rows removed. */
  public int erase(String profileId) {
    return jdbc.sql("DELETE FROM send_time_engagement WHERE profile_id = ?").param(profileId).update();
  }

  private static final class Row {
    final String profileId;
    final String channel;
    final int hour;
    double weight;
    int opens;
    int clicks;
    Instant last = Instant.EPOCH;

    Row(String profileId, String channel, int hour) {
      this.profileId = profileId;
      this.channel = channel;
      this.hour = hour;
    }

    String profileId() {
      return profileId;
    }

    String channel() {
      return channel;
    }

    int hour() {
      return hour;
    }

    void add(Engagement e) {
      weight += EngagementModel.weightAt(e.at(), e.click() ? EngagementModel.CLICK : EngagementModel.OPEN);
      opens += e.click() ? 0 : 1;
      clicks += e.click() ? 1 : 0;
      last = e.at().isAfter(last) ? e.at() : last;
    }
  }
}
