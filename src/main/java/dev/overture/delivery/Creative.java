package dev.overture.delivery;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.lang.Nullable;

/**
 * One immutable version of a message template for one channel. Editing means a new version, which
 * needs approval again; only approved versions are dispatched (the newest approved one). Besides its
 * default content (the top-level fields, in {@code defaultLocale}) a version may hold a variant per
 * locale ({@code locales}: {@code de}, {@code fr-CA}, ...); the version is approved as a whole.
 */
public record Creative(
    String key, String channel, int version, String status, @Nullable String subject, @Nullable String html,
    @Nullable String text, @Nullable String smsBody,
    @Nullable String pushTitle, @Nullable String pushBody, @Nullable Map<String, String> fallbacks,
    @Nullable String createdBy, Instant createdAt,
    @Nullable String approvedBy, @Nullable Instant approvedAt, @Nullable String defaultLocale, Map<String, Content> locales) {

  public static final String PENDING_APPROVAL = "pending";
  public static final String APPROVED = "approved";

  public Creative {
    locales = locales == null ? Map.of() : locales;
  }

  public boolean approved() {
    return APPROVED.equals(status);
  }

  /** The default content, as a variant. */
  public Content defaultContent() {
    return new Content(subject, html, text, smsBody, pushTitle, pushBody, fallbacks);
  }

  /**
   * The variant a profile's {@code locale} attribute picks: the exact locale, then its language, then the
   * default. Returns the variant's locale (the default locale, or null when none is declared) and content.
   */
  public Variant variantFor(String profileLocale) {
    if (profileLocale != null && !profileLocale.isBlank() && !locales.isEmpty()) {
      String wanted = normalise(profileLocale);
      String language = wanted.split("-")[0];
      String byLanguage = null;
      for (String tag : locales.keySet()) {
        String candidate = normalise(tag);
        if (candidate.equals(wanted)) {
          return new Variant(tag, merged(locales.get(tag)));
        }
        if (candidate.equals(language)) {
          byLanguage = tag;
        }
      }
      if (byLanguage != null) {
        return new Variant(byLanguage, merged(locales.get(byLanguage)));
      }
    }
    return new Variant(defaultLocale, defaultContent());
  }

  /** Every variant, the default first: what a reviewer approves. */
  public Map<String, Content> variants() {
    Map<String, Content> all = new LinkedHashMap<>();
    all.put(defaultLocale == null ? "default" : defaultLocale, defaultContent());
    locales.forEach((tag, content) -> all.put(tag, merged(content)));
    return all;
  }

  /** A variant's own fallbacks go over the default's: the German text declares its German fallbacks. */
  private Content merged(Content variant) {
    Map<String, String> both = new LinkedHashMap<>(fallbacks == null ? Map.of() : fallbacks);
    if (variant.fallbacks() != null) {
      both.putAll(variant.fallbacks());
    }
    return new Content(variant.subject(), variant.html(), variant.text(), variant.smsBody(), variant.pushTitle(),
        variant.pushBody(), both);
  }

  static String normalise(String tag) {
    return tag.trim().replace('_', '-').toLowerCase(Locale.ROOT);
  }

  /** The texts of one language version; {@code fallbacks} give the value of a name the context lacks. */
  public record Content(String subject, String html, String text, String smsBody, String pushTitle, String pushBody,
      Map<String, String> fallbacks) {}

  /** A picked variant: its locale tag and content. */
  public record Variant(String locale, Content content) {}

  /**
   * What an author submits; {@code fallbacks} give the value of a name the context lacks ({@code firstName},
   * {@code event.storeName}); {@code locale} names the default content's locale, {@code locales} the variants.
   */
  public record Draft(
      @NotNull(message = KEY_RULE) @Pattern(regexp = "^[a-z0-9][a-z0-9.-]{0,127}$", message = KEY_RULE) String key,
      String channel, String subject, String html, String text, String smsBody, String pushTitle, String pushBody,
      Map<String, String> fallbacks,
      @Pattern(regexp = "^\\s*([A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*)?\\s*$",
          message = "locale must be a language tag such as en, de or fr-CA") String locale,
      Map<String, Content> locales) {

    static final String KEY_RULE = "key must be 1 to 128 lower-case letters, digits, dots or dashes";

    public Draft(String key, String channel, String subject, String html, String text, String smsBody, String pushTitle,
        String pushBody, Map<String, String> fallbacks) {
      this(key, channel, subject, html, text, smsBody, pushTitle, pushBody, fallbacks, null, null);
    }
  }

  /** A creative filled in for one profile, in the variant of {@code locale}. */
  public record Rendered(String key, String channel, int version, @Nullable String subject, @Nullable String text,
      @Nullable String html, @Nullable String smsBody,
      @Nullable String pushTitle, @Nullable String pushBody, @Nullable String locale) {}
}
