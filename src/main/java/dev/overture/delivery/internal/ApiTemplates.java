package dev.overture.delivery.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import dev.overture.delivery.MissingTemplateValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.util.ConcurrentLruCache;

/**
 * The Mustache of {@link Templates} (same values, same strictness: a missing name is a {@link MissingTemplateValue}) for
 * the two places an API call's template puts a value: a URL path, where each value is percent-encoded so it stays one
 * segment and cannot leave the endpoint's base URL, and a JSON body, where each value is escaped as a JSON string's
 * content (the template writes the quotes: {@code {"member": "{{profileId}}"}}).
 */
final class ApiTemplates {

  private static final Mustache.Compiler URL = Mustache.compiler().emptyStringIsFalse(true)
      .withEscaper(raw -> URLEncoder.encode(raw, StandardCharsets.UTF_8).replace("+", "%20"));
  private static final Mustache.Compiler JSON = Mustache.compiler().emptyStringIsFalse(true)
      .withEscaper(raw -> new String(JsonStringEncoder.getInstance().quoteAsString(raw)));
  private static final ConcurrentLruCache<String, Template> URLS = new ConcurrentLruCache<>(256, URL::compile);
  private static final ConcurrentLruCache<String, Template> BODIES = new ConcurrentLruCache<>(256, JSON::compile);

  private ApiTemplates() {}

  static String path(String template, Map<String, Object> root) {
    return fill(URLS, template, root);
  }

  static String body(String template, Map<String, Object> root) {
    return fill(BODIES, template, root);
  }

  /** Throws {@link MustacheException} when the text is no template. */
  static void compile(String template) {
    URL.compile(template);
  }

  private static String fill(ConcurrentLruCache<String, Template> cache, String template, Map<String, Object> root) {
    try {
      return cache.get(template).execute(root);
    } catch (MustacheException.Context e) {
      throw new MissingTemplateValue(e.key, template);
    }
  }
}
