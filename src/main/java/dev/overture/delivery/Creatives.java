package dev.overture.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import dev.overture.consent.Channel;
import dev.overture.platform.ApiProblem;
import dev.overture.profile.Profile;
import dev.overture.profile.Profiles;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.ConcurrentLruCache;

/**
 * Creatives: versioned Mustache templates per key and channel with an approval status. A missing
 * attribute renders its declared fallback, or nothing: never a literal {@code {{...}}}. The approval
 * process (Tasklist) builds on {@link #approve}; the API guards it with a Camunda group.
 */
@Service
public class Creatives {

  private static final Pattern KEY = Pattern.compile("^[a-z0-9][a-z0-9.-]{0,127}$");
  private static final Mustache.Compiler TEXT = Mustache.compiler().escapeHTML(false).defaultValue("");
  private static final Mustache.Compiler HTML = Mustache.compiler().escapeHTML(true).defaultValue("");
  // compiled once per template text, not at every message: a template is immutable and thread-safe once compiled
  private static final ConcurrentLruCache<String, Template> TEXT_TEMPLATES = new ConcurrentLruCache<>(512, TEXT::compile);
  private static final ConcurrentLruCache<String, Template> HTML_TEMPLATES = new ConcurrentLruCache<>(512, HTML::compile);
  private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final ObjectMapper json;
  private final Profiles profiles;

  Creatives(JdbcClient jdbc, TransactionTemplate tx, ObjectMapper json, Profiles profiles) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.json = json;
    this.profiles = profiles;
  }

  /** Stores the draft as the next version of its key and channel, pending approval. */
  public Creative create(Creative.Draft draft, String by) {
    validate(draft);
    String fallbacks = write(draft.fallbacks() == null ? Map.of() : draft.fallbacks());
    for (int attempt = 1; ; attempt++) {
      try {
        Integer version = tx.execute(s -> {
          int next = jdbc.sql("SELECT COALESCE(MAX(version), 0) + 1 FROM creative WHERE creative_key = ? AND channel = ?")
              .params(draft.key(), draft.channel()).query(Integer.class).single();
          jdbc.sql("""
                  INSERT INTO creative (creative_key, channel, version, subject, body_html, body_text, sms_body, push_title,
                      push_body, fallbacks, status, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
              .params(draft.key(), draft.channel(), next, draft.subject(), draft.html(), draft.text(), draft.smsBody(),
                  draft.pushTitle(), draft.pushBody(), fallbacks, Creative.PENDING_APPROVAL, by, Timestamp.from(Instant.now()))
              .update();
          return next;
        });
        return find(draft.key(), draft.channel(), version).orElseThrow();
      } catch (DuplicateKeyException raced) {
        if (attempt == 3) {
          throw ApiProblem.conflict("creative-version-conflict", "Concurrent edits of creative '" + draft.key() + "'; retry");
        }
      }
    }
  }

  /** Every version of the key, all channels, newest first per channel. */
  public List<Creative> find(String key) {
    return jdbc.sql("SELECT * FROM creative WHERE creative_key = ? ORDER BY channel, version DESC").param(key).query(this::map).list();
  }

  public Optional<Creative> find(String key, String channel, int version) {
    return jdbc.sql("SELECT * FROM creative WHERE creative_key = ? AND channel = ? AND version = ?")
        .params(key, channel, version).query(this::map).optional();
  }

  /** The version that goes out: the newest approved one. */
  public Optional<Creative> approved(String key, String channel) {
    return jdbc.sql("SELECT * FROM creative WHERE creative_key = ? AND channel = ? AND status = 'approved' ORDER BY version DESC LIMIT 1")
        .params(key, channel).query(this::map).optional();
  }

  /**
   * Approves one version. The author may not approve their own work (four eyes); approving an
   * approved version again changes nothing.
   */
  public Creative approve(String key, String channel, int version, String by) {
    Creative creative = find(key, channel, version).orElseThrow(() -> ApiProblem.notFound("creative",
        "No creative '" + key + "' version " + version + " for " + channel));
    if (creative.approved()) {
      return creative;
    }
    if (by.equals(creative.createdBy())) {
      throw ApiProblem.conflict("own-creative", "The author of a creative version cannot approve it");
    }
    jdbc.sql("UPDATE creative SET status = 'approved', approved_by = ?, approved_at = ? WHERE creative_key = ? AND channel = ? "
            + "AND version = ? AND status <> 'approved'")
        .params(by, Timestamp.from(Instant.now()), key, channel, version).update();
    return find(key, channel, version).orElseThrow();
  }

  /** Preview of any version (approved or not) for one profile. */
  public Creative.Rendered render(String key, String channel, int version, String profileId) {
    Creative creative = find(key, channel, version).orElseThrow(() -> ApiProblem.notFound("creative",
        "No creative '" + key + "' version " + version + " for " + channel));
    Profile profile = profiles.find(profileId).orElseThrow(() -> ApiProblem.notFound("profile", "No profile with id " + profileId));
    return render(creative, context(profile, Map.of()));
  }

  /** Fills the creative in: declared fallbacks first, the profile's non-empty values over them. */
  public Creative.Rendered render(Creative creative, Map<String, Object> values) {
    Map<String, Object> context = new HashMap<>(creative.fallbacks() == null ? Map.of() : creative.fallbacks());
    values.forEach((k, v) -> {
      if (v != null && !(v instanceof String str && str.isBlank())) {
        context.put(k, v);
      }
    });
    return new Creative.Rendered(creative.key(), creative.channel(), creative.version(), oneLine(fill(TEXT, creative.subject(), context)),
        fill(TEXT, creative.text(), context), fill(HTML, creative.html(), context), fill(TEXT, creative.smsBody(), context),
        oneLine(fill(TEXT, creative.pushTitle(), context)), fill(TEXT, creative.pushBody(), context));
  }

  /** The values a template sees: the profile's attributes plus profileId and email. */
  public static Map<String, Object> context(Profile profile, Map<String, Object> extra) {
    Map<String, Object> context = new HashMap<>(profile.attributes());
    context.put("profileId", profile.id());
    if (profile.email() != null) {
      context.put("email", profile.email());
    }
    context.putAll(extra);
    return context;
  }

  private static void validate(Creative.Draft d) {
    if (d.key() == null || !KEY.matcher(d.key()).matches()) {
      throw ApiProblem.badRequest("invalid-creative", "key must be 1 to 128 lower-case letters, digits, dots or dashes");
    }
    Channel channel = Channel.fromKey(d.channel() == null ? "" : d.channel()).orElseThrow(() ->
        ApiProblem.badRequest("invalid-creative", "channel must be email, sms, push or webhook"));
    switch (channel) {
      case EMAIL -> require(notBlank(d.subject()) && (notBlank(d.html()) || notBlank(d.text())), "an email needs subject and html or text");
      case SMS -> require(notBlank(d.smsBody()), "an sms needs smsBody");
      case PUSH -> require(notBlank(d.pushTitle()) || notBlank(d.pushBody()), "a push needs pushTitle or pushBody");
      case WEBHOOK -> require(notBlank(d.text()), "a webhook needs text (the message it carries)");
      case AUDIENCE -> throw ApiProblem.badRequest("invalid-creative", "audience messages have no creative");
    }
    require(d.subject() == null || d.subject().length() <= 500, "subject must have at most 500 characters");
    require(d.smsBody() == null || d.smsBody().length() <= 1600, "smsBody must have at most 1600 characters");
    require(d.pushTitle() == null || d.pushTitle().length() <= 200, "pushTitle must have at most 200 characters");
    require(d.pushBody() == null || d.pushBody().length() <= 1000, "pushBody must have at most 1000 characters");
    for (String template : new String[] {d.subject(), d.html(), d.text(), d.smsBody(), d.pushTitle(), d.pushBody()}) {
      if (template != null) {
        try {
          TEXT.compile(template);
        } catch (MustacheException e) {
          throw ApiProblem.badRequest("invalid-template", "A template does not compile: " + e.getMessage());
        }
      }
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw ApiProblem.badRequest("invalid-creative", message);
    }
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  private static String fill(Mustache.Compiler compiler, String template, Map<String, Object> context) {
    if (template == null) {
      return null;
    }
    return (compiler == HTML ? HTML_TEMPLATES : TEXT_TEMPLATES).get(template).execute(context);
  }

  private static String oneLine(String s) {
    return s == null ? null : s.replaceAll("\\s+", " ").trim();
  }

  private Creative map(ResultSet rs, int n) throws SQLException {
    Timestamp approvedAt = rs.getTimestamp("approved_at");
    return new Creative(rs.getString("creative_key"), rs.getString("channel"), rs.getInt("version"), rs.getString("status"),
        rs.getString("subject"), rs.getString("body_html"), rs.getString("body_text"), rs.getString("sms_body"),
        rs.getString("push_title"), rs.getString("push_body"), read(rs.getString("fallbacks")), rs.getString("created_by"),
        rs.getTimestamp("created_at").toInstant(), rs.getString("approved_by"), approvedAt == null ? null : approvedAt.toInstant());
  }

  private Map<String, String> read(String text) {
    try {
      return text == null ? Map.of() : json.readValue(text, STRINGS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("creative fallbacks are not JSON", e);
    }
  }

  private String write(Map<String, String> map) {
    try {
      return json.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw ApiProblem.badRequest("invalid-creative", "fallbacks must be an object of strings");
    }
  }
}
