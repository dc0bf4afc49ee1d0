package dev.overture.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.samskivert.mustache.MustacheException;
import dev.overture.consent.Channel;
import dev.overture.delivery.internal.DeliveryProperties;
import dev.overture.delivery.internal.GovernanceProperties;
import dev.overture.delivery.internal.Templates;
import dev.overture.platform.Conflict;
import dev.overture.platform.DeclaredConstraints;
import dev.overture.platform.InvalidInput;
import dev.overture.platform.NotFound;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creatives: versioned Mustache templates per key and channel, with a variant per locale, and an
 * approval status. A missing value renders its declared fallback; a value with neither makes the
 * message unrenderable ({@link MissingTemplateValue}), never a literal {@code {{...}}} or a hole in a
 * sentence. The approval process (Tasklist) builds on {@link #approve}; the API guards it with a Camunda group.
 */
@Service
public class Creatives {

  private static final Pattern LOCALE = Pattern.compile("^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$");
  private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<LinkedHashMap<String, Creative.Content>> CONTENTS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final ObjectMapper json;
  private final String defaultZone;
  private final String defaultCurrency;
  private final DeclaredConstraints declared;

  Creatives(JdbcClient jdbc, TransactionTemplate tx, ObjectMapper json, GovernanceProperties governance,
      DeliveryProperties delivery, DeclaredConstraints declared) {
    this.declared = declared;
    this.jdbc = jdbc;
    this.tx = tx;
    this.json = json;
    this.defaultZone = governance.quietHours().defaultTimeZone();
    this.defaultCurrency = delivery.creatives().defaultCurrency();
  }

  /** Stores the draft as the next version of its key and channel, pending approval. */
  public Creative create(Creative.Draft draft, String by) {
    validate(draft);
    String fallbacks = write(draft.fallbacks() == null ? Map.of() : draft.fallbacks());
    String locales = draft.locales() == null || draft.locales().isEmpty() ? null : write(draft.locales());
    for (int attempt = 1; ; attempt++) {
      try {
        Integer version = tx.execute(s -> {
          int next = jdbc.sql("SELECT COALESCE(MAX(version), 0) + 1 FROM creative WHERE creative_key = ? AND channel = ?")
              .params(draft.key(), draft.channel()).query(Integer.class).single();
          jdbc.sql("""
                  INSERT INTO creative (creative_key, channel, version, subject, body_html, body_text, sms_body, push_title,
                      push_body, fallbacks, status, created_by, created_at, default_locale, locales)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
              .params(draft.key(), draft.channel(), next, draft.subject(), draft.html(), draft.text(), draft.smsBody(),
                  draft.pushTitle(), draft.pushBody(), fallbacks, Creative.PENDING_APPROVAL, by, Timestamp.from(Instant.now()),
                  draft.locale() == null || draft.locale().isBlank() ? null : draft.locale().trim(), locales)
              .update();
          return next;
        });
        return find(draft.key(), draft.channel(), version).orElseThrow();
      } catch (DuplicateKeyException raced) {
        if (attempt == 3) {
          throw new Conflict("creative-version-conflict", "Concurrent edits of creative '" + draft.key() + "'; retry");
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
    Creative creative = find(key, channel, version).orElseThrow(() -> new NotFound("creative",
        "No creative '" + key + "' version " + version + " for " + channel));
    if (creative.approved()) {
      return creative;
    }
    if (by.equals(creative.createdBy())) {
      throw new Conflict("own-creative", "The author of a creative version cannot approve it");
    }
    jdbc.sql("UPDATE creative SET status = 'approved', approved_by = ?, approved_at = ? WHERE creative_key = ? AND channel = ? "
            + "AND version = ? AND status <> 'approved'")
        .params(by, Timestamp.from(Instant.now()), key, channel, version).update();
    return find(key, channel, version).orElseThrow();
  }

  /**
   * The creative as this context's profile receives it: the variant its {@code locale} picks, money and
   * dates in its locale and time zone. Throws {@link MissingTemplateValue} when a value has no fallback.
   */
  public Creative.Rendered render(Creative creative, MessageContext context) {
    return render(creative, creative.variantFor(context.locale()), context);
  }

  /** Every locale variant of the creative for this context, the default first: what a reviewer approves. */
  public List<Creative.Rendered> renderEveryLocale(Creative creative, MessageContext context) {
    List<Creative.Rendered> out = new ArrayList<>();
    creative.variants().forEach((tag, content) -> out.add(render(creative, new Creative.Variant(tag, content), context)));
    return out;
  }

  private Creative.Rendered render(Creative creative, Creative.Variant variant, MessageContext context) {
    Creative.Content c = variant.content();
    Map<String, Object> root = Templates.root(context, c.fallbacks(),
        Templates.formats(context, variant.locale(), defaultZone, defaultCurrency));
    return new Creative.Rendered(creative.key(), creative.channel(), creative.version(), oneLine(Templates.text(c.subject(), root)),
        Templates.text(c.text(), root), Templates.html(c.html(), root), Templates.text(c.smsBody(), root),
        oneLine(Templates.text(c.pushTitle(), root)), Templates.text(c.pushBody(), root), variant.locale());
  }

  private void validate(Creative.Draft d) {
    // the draft's declared constraints, checked here as drafts are also built in code (a campaign's creatives)
    List<String> broken = declared.broken(d);
    if (!broken.isEmpty()) {
      throw new InvalidInput("invalid-creative", broken.get(0));
    }
    Channel channel = Channel.fromKey(d.channel() == null ? "" : d.channel()).orElseThrow(() ->
        new InvalidInput("invalid-creative", "channel must be email, sms, push or webhook"));
    validate(channel, new Creative.Content(d.subject(), d.html(), d.text(), d.smsBody(), d.pushTitle(), d.pushBody(),
        d.fallbacks()), "");
    if (d.locales() != null) {
      java.util.Set<String> seen = new java.util.HashSet<>();
      if (d.locale() != null && !d.locale().isBlank()) {
        seen.add(d.locale().trim().replace('_', '-').toLowerCase(Locale.ROOT));
      }
      d.locales().forEach((tag, content) -> {
        require(tag != null && LOCALE.matcher(tag).matches(), "locale variants are named by language tags such as de or fr-CA");
        require(seen.add(tag.replace('_', '-').toLowerCase(Locale.ROOT)), "locale " + tag + " is given twice");
        require(content != null, "locale " + tag + " has no content");
        validate(channel, content, " (locale " + tag + ")");
      });
    }
  }

  private static void validate(Channel channel, Creative.Content d, String where) {
    switch (channel) {
      case EMAIL -> require(notBlank(d.subject()) && (notBlank(d.html()) || notBlank(d.text())),
          "an email needs subject and html or text" + where);
      case SMS -> require(notBlank(d.smsBody()), "an sms needs smsBody" + where);
      case PUSH -> require(notBlank(d.pushTitle()) || notBlank(d.pushBody()), "a push needs pushTitle or pushBody" + where);
      case WEBHOOK -> require(notBlank(d.text()), "a webhook needs text (the message it carries)" + where);
      case AUDIENCE -> throw new InvalidInput("invalid-creative", "audience messages have no creative");
    }
    require(d.subject() == null || d.subject().length() <= 500, "subject must have at most 500 characters" + where);
    require(d.smsBody() == null || d.smsBody().length() <= 1600, "smsBody must have at most 1600 characters" + where);
    require(d.pushTitle() == null || d.pushTitle().length() <= 200, "pushTitle must have at most 200 characters" + where);
    require(d.pushBody() == null || d.pushBody().length() <= 1000, "pushBody must have at most 1000 characters" + where);
    for (String template : new String[] {d.subject(), d.html(), d.text(), d.smsBody(), d.pushTitle(), d.pushBody()}) {
      if (template != null) {
        try {
          Templates.compile(template);
        } catch (MustacheException e) {
          throw new InvalidInput("invalid-template", "A template does not compile" + where + ": " + e.getMessage());
        }
      }
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new InvalidInput("invalid-creative", message);
    }
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  private static String oneLine(String s) {
    return s == null ? null : s.replaceAll("\\s+", " ").trim();
  }

  private Creative map(ResultSet rs, int n) throws SQLException {
    Timestamp approvedAt = rs.getTimestamp("approved_at");
    return new Creative(rs.getString("creative_key"), rs.getString("channel"), rs.getInt("version"), rs.getString("status"),
        rs.getString("subject"), rs.getString("body_html"), rs.getString("body_text"), rs.getString("sms_body"),
        rs.getString("push_title"), rs.getString("push_body"), read(rs.getString("fallbacks")), rs.getString("created_by"),
        rs.getTimestamp("created_at").toInstant(), rs.getString("approved_by"), approvedAt == null ? null : approvedAt.toInstant(),
        rs.getString("default_locale"), readLocales(rs.getString("locales")));
  }

  private Map<String, Creative.Content> readLocales(String text) {
    try {
      return text == null ? Map.of() : json.readValue(text, CONTENTS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("creative locales are not JSON", e);
    }
  }

  private Map<String, String> read(String text) {
    try {
      return text == null ? Map.of() : json.readValue(text, STRINGS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("creative fallbacks are not JSON", e);
    }
  }

  private String write(Map<String, ?> map) {
    try {
      return json.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new InvalidInput("invalid-creative", "fallbacks must be an object of strings, locales an object of contents");
    }
  }
}
