package dev.overture.campaign.internal;

import com.samskivert.mustache.Mustache;
import dev.overture.campaign.CreativeCatalog;
import dev.overture.platform.ApiProblem;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@link CreativeCatalog} over table {@code creative}, for as long as the delivery module offers no
 * facade for versions and approval. Replaced by an adapter over {@code Creatives} after the merge.
 */
@Component
class JdbcCreativeCatalog implements CreativeCatalog {

  static final String APPROVED = "approved";
  static final String DRAFT = "draft";

  private static final Mustache.Compiler TEXT = Mustache.compiler().escapeHTML(false).defaultValue("");

  private final JdbcClient jdbc;

  JdbcCreativeCatalog(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<CreativeVersion> latest(String key) {
    return jdbc.sql("SELECT creative_key, version, channel, status FROM creative WHERE creative_key = ? ORDER BY version DESC LIMIT 1")
        .param(key)
        .query((rs, n) -> new CreativeVersion(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4)))
        .optional();
  }

  @Override
  public Preview renderForReview(String key, int version, Map<String, Object> sample) {
    return jdbc.sql("SELECT channel, subject, body_text, body_html FROM creative WHERE creative_key = ? AND version = ?")
        .params(key, version)
        .query((rs, n) -> new Preview(key, version, rs.getString("channel"), fill(rs.getString("subject"), sample),
            fill(rs.getString("body_text") != null ? rs.getString("body_text") : rs.getString("body_html"), sample)))
        .optional()
        .orElseThrow(() -> new IllegalStateException("Creative " + key + " v" + version + " does not exist"));
  }

  @Override
  public void markApproved(String key, int version) {
    // every channel of the reviewed version; approved_by names the process, as the delivery module records people
    int updated = jdbc.sql("UPDATE creative SET status = ?, approved_by = 'campaign-review', approved_at = ? "
            + "WHERE creative_key = ? AND version = ?")
        .params(APPROVED, Timestamp.from(Instant.now()), key, version).update();
    if (updated < 1) {
      throw new IllegalStateException("Creative " + key + " v" + version + " does not exist");
    }
  }

  @Override
  public boolean isApproved(String key, int version) {
    List<String> statuses = jdbc.sql("SELECT status FROM creative WHERE creative_key = ? AND version = ?")
        .params(key, version).query(String.class).list();
    return !statuses.isEmpty() && statuses.stream().allMatch(APPROVED::equals);
  }

  @Override
  public CreativeVersion revise(String key, String subject, String bodyText) {
    CreativeVersion current = latest(key)
        .orElseThrow(() -> ApiProblem.notFound("creative", "No creative with key '" + key + "'"));
    int next = current.version() + 1;
    jdbc.sql("""
            INSERT INTO creative (creative_key, version, channel, subject, body_text, body_html, status, created_at)
            SELECT creative_key, ?, channel, COALESCE(?, subject), COALESCE(?, body_text),
                   CASE WHEN ? IS NULL THEN body_html ELSE NULL END, ?, ?
            FROM creative WHERE creative_key = ? AND version = ?""")
        .params(next, blankToNull(subject), blankToNull(bodyText), blankToNull(bodyText), DRAFT,
            Timestamp.from(Instant.now()), key, current.version())
        .update();
    return new CreativeVersion(key, next, current.channel(), DRAFT);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String fill(String template, Map<String, Object> sample) {
    return template == null ? "" : TEXT.compile(template).execute(sample).trim();
  }
}
