package dev.overture.journey.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import dev.overture.delivery.Deliveries;
import dev.overture.delivery.Engagements;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * What a journey BPMN must satisfy to be deployed, as plain checks on attribute values: each returns
 * the problem in words, or empty when the value is fine. Expressions (${...}) are checked at run time.
 */
public final class JourneyRules {

  /** Event types, and so message names: lower-case dotted words, e.g. purchase.completed, cart_item.added. */
  public static final Pattern EVENT_TYPE = Pattern.compile("^[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)+$");
  static final Pattern BEAN_EXPRESSION = Pattern.compile("^\\$\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}$");
  static final Pattern REENTRY = Pattern.compile("^(always|never|after:P.+)$");
  static final String OUR_TEMPLATES = "dev.overture.";
  static final String WAIT_TEMPLATES = "dev.overture.Wait";
  static final String WAIT_UNTIL = "${waitUntil.at(execution)}";
  /** The delegate of every Send template: its channel must have somewhere to send. */
  static final String SEND_MESSAGE = "${sendMessage}";

  private final Predicate<String> beanExists;
  private final Map<String, Set<String>> templateVersions;

  JourneyRules(Predicate<String> beanExists, Map<String, Set<String>> templateVersions) {
    this.beanExists = beanExists;
    this.templateVersions = templateVersions;
  }

  /** Rules with the supported template versions read from the element templates shipped on the classpath. */
  static JourneyRules fromClasspath(Predicate<String> beanExists) {
    Map<String, Set<String>> versions = new HashMap<>();
    ObjectMapper json = new ObjectMapper();
    try {
      for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:element-templates/*.json")) {
        try (InputStream in = r.getInputStream()) {
          for (JsonNode t : json.readTree(in)) {
            versions.computeIfAbsent(t.path("id").asText(), k -> new HashSet<>()).add(t.path("version").asText());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the element templates", e);
    }
    return new JourneyRules(beanExists, versions);
  }

  Optional<String> delegateExpression(String expression) {
    Matcher m = BEAN_EXPRESSION.matcher(expression);
    if (m.matches() && !beanExists.test(m.group(1))) {
      return Optional.of("delegate expression '" + expression + "' names no bean: there is no Overture task '" + m.group(1) + "'");
    }
    return Optional.empty();
  }

  Optional<String> template(String id, String version) {
    if (id == null || !id.startsWith(OUR_TEMPLATES)) {
      return Optional.empty();
    }
    Set<String> supported = templateVersions.get(id);
    if (supported == null) {
      return Optional.of("element template '" + id + "' is not an Overture template (any more); apply a current one");
    }
    if (version != null && !supported.contains(version)) {
      return Optional.of("element template '" + id + "' version " + version + " is no longer supported (supported: "
          + String.join(", ", supported.stream().sorted().toList()) + "); update the element in Camunda Modeler");
    }
    return Optional.empty();
  }

  /**
   * A Send task's channel (for {@code preferred}: its {@code fallbackChannels}, email when none) without a provider,
   * in words that name the property to set; {@code missingProvider} answers per channel key. An expression is
   * checked when the message is sent.
   */
  static Optional<String> sendChannels(String channel, String fallbacks, Function<String, Optional<String>> missingProvider) {
    if (channel == null || channel.isBlank() || isExpression(channel)) {
      return Optional.empty();
    }
    List<String> channels = Deliveries.PREFERRED.equals(channel.trim())
        ? List.of((fallbacks == null || fallbacks.isBlank() ? "email" : fallbacks).split("[,\\s]+"))
        : List.of(channel.trim());
    List<String> problems = channels.stream().filter(c -> !c.isBlank() && !isExpression(c)).map(missingProvider)
        .flatMap(Optional::stream).distinct().toList();
    return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
  }

  private static boolean isExpression(String value) {
    return value.contains("${") || value.contains("#{");
  }

  static Optional<String> messageName(String name) {
    // the one message that is no event type: a wait for engagement, which only the delivery's outcomes end
    if (name == null || !EVENT_TYPE.matcher(name).matches() && !Engagements.MESSAGE.equals(name)) {
      return Optional.of("message name '" + name + "' is not an event type (lower-case dotted words such as purchase.completed)");
    }
    return Optional.empty();
  }

  static Optional<String> goal(String value) {
    return value == null || value.isBlank() || EVENT_TYPE.matcher(value).matches()
        ? Optional.empty()
        : Optional.of("goal '" + value + "' is not an event type (lower-case dotted words such as purchase.completed)");
  }

  static Optional<String> goalCondition(String value) {
    return value == null || value.isBlank()
        ? Optional.empty()
        : GoalConditions.problem(value).map(p -> "goal condition '" + value + "' is not a FEEL expression: " + p);
  }

  /** A goal window is a positive duration in days, hours, minutes or seconds (P7D, PT12H): months have no fixed length. */
  static Optional<String> goalWindow(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      if (!java.time.Duration.parse(value.trim()).isNegative() && !java.time.Duration.parse(value.trim()).isZero()) {
        return Optional.empty();
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    return Optional.of("goal window '" + value + "' must be a positive ISO 8601 duration in days, hours, minutes or seconds,"
        + " such as P7D or PT12H");
  }

  static Optional<String> priority(String value) {
    return value == null || value.isBlank() || value.trim().matches("-?\\d{1,6}")
        ? Optional.empty()
        : Optional.of("priority '" + value + "' must be a whole number (higher wins a place under the journey cap), such as 10");
  }

  /** An entry segment names a segment key as {@code POST /api/segments} accepts one; empty: no entry on a segment. */
  static Optional<String> entrySegment(String value) {
    return value == null || value.isBlank() || value.trim().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
        ? Optional.empty()
        : Optional.of("entry segment '" + value + "' is no segment key (1 to 128 letters, digits, '.', '_' or '-')");
  }

  /** A Split's auto-winner fields ({@code overture:auto-winner*}), as the Split template constrains them. */
  static Optional<String> autoWinner(String name, String value) {
    String v = value == null ? "" : value.trim();
    boolean fine = v.isEmpty() || switch (name) {
      case "overture:auto-winner" -> v.equals("true") || v.equals("false");
      case "overture:auto-winner-minimum-sample" -> v.matches("[1-9]\\d{0,6}");
      case "overture:auto-winner-alpha" -> v.matches("0?\\.\\d+") && Double.parseDouble(v) > 0 && Double.parseDouble(v) <= 0.5;
      case "overture:auto-winner-control-share" -> v.matches("\\d{1,2}");
      case "overture:auto-winner-not-before" -> v.matches("\\d{4}-\\d{2}-\\d{2}") ? isDate(v + "T00:00:00") : v.endsWith("Z") && isDate(v);
      default -> true;
    };
    return fine ? Optional.empty() : Optional.of(name + " '" + value + "' is not valid: true or false; a minimum sample from 1;"
        + " a level above 0 and at most 0.5; a control share of 0 to 99 percent; a decision date such as 2027-01-31");
  }

  static Optional<String> reentry(String value) {
    return value == null || REENTRY.matcher(value).matches() && (!value.startsWith("after:") || isDuration(value.substring(6)))
        ? Optional.empty()
        : Optional.of("re-entry rule '" + value + "' must be always, never or after:<ISO 8601 duration> such as after:P30D");
  }

  static Optional<String> timer(String kind, String value) {
    String v = value == null ? "" : value.trim();
    if (v.contains("${") || v.contains("#{")) {
      return Optional.empty();
    }
    boolean valid = switch (kind) {
      case "timeDuration" -> isDuration(v);
      case "timeDate" -> isDate(v);
      case "timeCycle" -> isCycle(v);
      default -> true;
    };
    return valid ? Optional.empty() : Optional.of(kind + " '" + v + "' is not valid ISO 8601"
        + ("timeDuration".equals(kind) ? " (a duration such as PT30M, P2D or P1DT12H)" : ""));
  }

  static boolean isDuration(String v) {
    if (!v.startsWith("P") && !v.startsWith("-P")) {
      return false;
    }
    try {
      DatatypeFactory.newInstance().newDuration(v);
      return true;
    } catch (IllegalArgumentException | DatatypeConfigurationException e) {
      return false;
    }
  }

  private static boolean isDate(String v) {
    try {
      OffsetDateTime.parse(v);
      return true;
    } catch (DateTimeParseException e) {
      try {
        LocalDateTime.parse(v);
        return true;
      } catch (DateTimeParseException e2) {
        return false;
      }
    }
  }

  private static boolean isCycle(String v) {
    if (v.split("\\s+").length >= 6) {
      return true; // a cron expression; Camunda's own parser reports a broken one
    }
    String[] parts = v.split("/");
    if (parts.length < 2 || !parts[0].matches("R\\d*")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      if (!isDuration(parts[i]) && !isDate(parts[i])) {
        return false;
      }
    }
    return true;
  }
}
