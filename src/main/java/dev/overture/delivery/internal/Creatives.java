package dev.overture.delivery.internal;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Message templates. The newest approved version of a key is the one that goes out; it is
 * rendered with Mustache over the profile's attributes, and a missing attribute renders empty (a
 * creative declares its own fallback with {@code {{^firstName}}there{{/firstName}}}).
 */
@Component
public class Creatives {

  private static final Mustache.Compiler TEXT = Mustache.compiler().escapeHTML(false).defaultValue("");
  private static final Mustache.Compiler HTML = Mustache.compiler().escapeHTML(true).defaultValue("");

  private final JdbcClient jdbc;

  Creatives(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A creative version as stored. */
  public record Creative(String key, int version, String channel, String subject, String text, String html) {}

  /** A creative filled in for one profile. */
  public record Rendered(String key, int version, String subject, String text, String html) {}

  public Optional<Creative> approved(String key, String channel) {
    return jdbc.sql("""
            SELECT * FROM creative WHERE creative_key = ? AND channel = ? AND status = 'approved'
            ORDER BY version DESC LIMIT 1""")
        .params(key, channel)
        .query((rs, n) -> new Creative(rs.getString("creative_key"), rs.getInt("version"), rs.getString("channel"),
            rs.getString("subject"), rs.getString("body_text"), rs.getString("body_html")))
        .optional();
  }

  public Rendered render(Creative creative, Map<String, Object> context) {
    return new Rendered(creative.key(), creative.version(),
        fill(TEXT, creative.subject(), context).replaceAll("\\s+", " ").trim(),
        fill(TEXT, creative.text(), context),
        fill(HTML, creative.html(), context));
  }

  private static String fill(Mustache.Compiler compiler, String template, Map<String, Object> context) {
    if (template == null) {
      return null;
    }
    Template compiled = compiler.compile(template);
    return compiled.execute(context);
  }
}
