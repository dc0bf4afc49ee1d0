package dev.overture.delivery.internal;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import dev.overture.delivery.MessageContext;
import dev.overture.delivery.MissingTemplateValue;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.FormatStyle;
import java.util.Currency;
import java.util.HashMap;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.util.ConcurrentLruCache;

/**
 * Mustache (jmustache) over a {@link MessageContext}: {@code {{firstName}}} and {@code {{profile.firstName}}},
 * {@code {{event.cartId}}}, {@code {{journey.orderNumber}}}; sections for lists ({@code {{#event.items}}...{{/event.items}}});
 * helpers {@code {{#money}}{{price}}{{/money}}}, {@code {{#date}}...{{/date}}} and {@code {{#datetime}}...{{/datetime}}}
 * in the profile's locale and time zone. A name outside a section that has neither a value nor a declared
 * fallback is an error ({@link MissingTemplateValue}), so no message goes out with a hole in a sentence.
 */
public final class Templates {

  // strict: no default value, so a missing name throws instead of leaving a hole; "" counts as false in a section
  private static final Mustache.Compiler TEXT = Mustache.compiler().escapeHTML(false).emptyStringIsFalse(true);
  private static final Mustache.Compiler HTML = Mustache.compiler().escapeHTML(true).emptyStringIsFalse(true);
  // compiled once per template text, not at every message: a template is immutable and thread-safe once compiled
  private static final ConcurrentLruCache<String, Template> TEXT_TEMPLATES = new ConcurrentLruCache<>(512, TEXT::compile);
  private static final ConcurrentLruCache<String, Template> HTML_TEMPLATES = new ConcurrentLruCache<>(512, HTML::compile);

  private Templates() {}

  /** How money and dates look for this message: the profile's locale and zone, the event's currency. */
  public record Formats(Locale locale, ZoneId zone, Currency currency) {}

  /** Throws {@link MustacheException} if the template does not compile. */
  public static void compile(String template) {
    TEXT.compile(template);
  }

  /**
   * The values a template sees: the profile's attributes at the top (as creatives have always named them)
   * and under {@code profile}, {@code event}, {@code journey}; a blank value counts as missing; declared
   * fallbacks fill the gaps ({@code firstName}, {@code event.storeName}); then the helpers.
   */
  public static Map<String, Object> root(MessageContext context, Map<String, String> fallbacks, Formats formats) {
    Map<String, Object> root = new HashMap<>(present(context.profile()));
    root.put("profile", present(context.profile()));
    root.put("event", present(context.event()));
    root.put("journey", present(context.journey()));
    if (fallbacks != null) {
      fallbacks.forEach((name, value) -> fallBack(root, name, value));
    }
    root.put("money", (Mustache.Lambda) (fragment, out) -> out.write(money(fragment.execute().trim(), formats)));
    root.put("date", (Mustache.Lambda) (fragment, out) -> out.write(date(fragment.execute().trim(), formats,
        DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM))));
    root.put("datetime", (Mustache.Lambda) (fragment, out) -> out.write(date(fragment.execute().trim(), formats,
        DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT))));
    return root;
  }

  public static String text(String template, Map<String, Object> root) {
    return fill(TEXT_TEMPLATES, template, root);
  }

  public static String html(String template, Map<String, Object> root) {
    return fill(HTML_TEMPLATES, template, root);
  }

  /** The formats for a profile: its locale (else the variant's, else English), its zone (else {@code defaultZone}, else UTC). */
  public static Formats formats(MessageContext context, String variantLocale, String defaultZone, String defaultCurrency) {
    Locale locale = locale(context.locale()).or(() -> locale(variantLocale)).orElse(Locale.ENGLISH);
    ZoneId zone = zone(context.timezone()).or(() -> zone(defaultZone)).orElse(ZoneOffset.UTC);
    Object code = context.event().get("currency");
    Currency currency = currency(code == null ? null : code.toString()).or(() -> currency(defaultCurrency))
        .orElse(Currency.getInstance("EUR"));
    return new Formats(locale, zone, currency);
  }

  private static String fill(ConcurrentLruCache<String, Template> cache, String template, Map<String, Object> root) {
    if (template == null) {
      return null;
    }
    try {
      return cache.get(template).execute(root);
    } catch (MustacheException.Context e) {
      throw new MissingTemplateValue(e.key, template);
    }
  }

  private static Map<String, Object> present(Map<String, Object> values) {
    Map<String, Object> out = new HashMap<>();
    values.forEach((k, v) -> {
      if (v != null && !(v instanceof String s && s.isBlank())) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** Puts the fallback where the dotted name points unless a value is there already. */
  @SuppressWarnings("unchecked")
  private static void fallBack(Map<String, Object> root, String name, String value) {
    String[] path = name.split("\\.");
    Map<String, Object> at = root;
    for (int i = 0; i < path.length - 1; i++) {
      Object next = at.get(path[i]);
      if (!(next instanceof Map<?, ?>)) {
        if (next != null) {
          return;
        }
        next = new HashMap<String, Object>();
        at.put(path[i], next);
      } else if (!(next instanceof HashMap<?, ?>)) {
        next = new HashMap<>((Map<String, Object>) next);
        at.put(path[i], next);
      }
      at = (Map<String, Object>) next;
    }
    at.putIfAbsent(path[path.length - 1], value);
  }

  /** "49.9" or "49.90 EUR" (or "EUR 49.90"): the amount in the message's currency, or the one named. */
  static String money(String text, Formats formats) {
    String[] parts = text.split("\\s+");
    String amount = parts[0];
    Currency currency = formats.currency();
    if (parts.length == 2) {
      boolean codeFirst = parts[0].matches("[A-Za-z]{3}");
      amount = codeFirst ? parts[1] : parts[0];
      currency = currency(codeFirst ? parts[0] : parts[1]).orElse(currency);
    }
    try {
      NumberFormat format = NumberFormat.getCurrencyInstance(formats.locale());
      format.setCurrency(currency);
      format.setMinimumFractionDigits(currency.getDefaultFractionDigits());
      format.setMaximumFractionDigits(currency.getDefaultFractionDigits());
      return format.format(new BigDecimal(amount));
    } catch (NumberFormatException e) {
      throw new MissingTemplateValue("money (a number, not '" + text + "')", text);
    }
  }

  /** An ISO date, date-time with offset, or instant, shown in the profile's zone and locale. */
  static String date(String text, Formats formats, DateTimeFormatter style) {
    DateTimeFormatter format = style.withLocale(formats.locale());
    try {
      if (text.length() == 10) {
        LocalDate day = LocalDate.parse(text);
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(formats.locale()).format(day);
      }
      Instant at;
      try {
        at = OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException notOffset) {
        at = LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
      }
      return format.format(at.atZone(formats.zone()));
    } catch (DateTimeException e) {
      throw new MissingTemplateValue("date (ISO 8601, not '" + text + "')", text);
    }
  }

  private static java.util.Optional<Locale> locale(String tag) {
    if (tag == null || tag.isBlank()) {
      return java.util.Optional.empty();
    }
    try {
      Locale locale = new Locale.Builder().setLanguageTag(tag.trim().replace('_', '-')).build();
      return locale.getLanguage().isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(locale);
    } catch (IllformedLocaleException e) {
      return java.util.Optional.empty();
    }
  }

  private static java.util.Optional<ZoneId> zone(String id) {
    if (id == null || id.isBlank()) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(ZoneId.of(id.trim()));
    } catch (DateTimeException e) {
      return java.util.Optional.empty();
    }
  }

  private static java.util.Optional<Currency> currency(String code) {
    if (code == null || code.isBlank()) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(Currency.getInstance(code.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }
}
