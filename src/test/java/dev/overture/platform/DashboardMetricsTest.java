package dev.overture.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.support.AppTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The Grafana dashboard ({@code docker/grafana/dashboards/overture.json}) asks only for metrics the app exports: every
 * metric name in its PromQL (panels and variables) is on {@code /actuator/prometheus} once the app has done what the
 * panels show (an entry, a message, a reaction, a conversion, a split), as a family of the type its suffix needs
 * ({@code _bucket} a histogram's, {@code _count} and {@code _sum} a histogram's or summary's). The provisioning files
 * name the datasource the panels use and the folder the compose file mounts.
 */
class DashboardMetricsTest extends AppTestBase {

  private static final Path DASHBOARD = Path.of("docker/grafana/dashboards/overture.json");
  private static final Pattern NAME = Pattern.compile("(?<![\\w$.:])[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");
  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
      "offset", "bool", "and", "or", "unless", "inf", "nan", "atan2");

  private final ObjectMapper json = new ObjectMapper();
  @Autowired MeterRegistry meters;

  @Test
  void everyMetricTheDashboardQueriesIsExported() throws IOException {
    Set<String> names = metricNames(json.readTree(DASHBOARD.toFile()));
    assertThat(names).as("the dashboard's metrics").contains("overture_journeys_entered_total",
        "overture_event_reaction_seconds_bucket", "overture_messages_total", "overture_outbox_dispatch_lag_seconds_sum",
        "overture_journey_conversions_total", "overture_experiment_assignments_total");

    long reactions = meters.get("overture.event.reaction").timer().count();
    String profileId = consentingProfile();
    api().body(Map.of("profileId", profileId)).post("/api/journeys/welcome/entries").then().statusCode(201);
    api().body(Map.of("profileId", profileId)).post("/api/journeys/winback/entries").then().statusCode(201);
    api().body(Map.of("eventId", "dashboard-" + UUID.randomUUID(), "type", "purchase.completed", "profileId", profileId,
        "properties", Map.of("value", 20))).post("/api/events").then().statusCode(202);

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(missing(names, scrape())).isEmpty());
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(meters.get("overture.event.reaction").timer().count())
        .as("the purchase's reaction (welcome's goal) is in the histogram").isGreaterThan(reactions));
  }

  @Test
  void provisioningNamesTheDatasourceAndFolderTheDashboardUses() throws IOException {
    JsonNode dashboard = json.readTree(DASHBOARD.toFile());
    String datasource = Files.readString(Path.of("docker/grafana/provisioning/datasources/prometheus.yaml"));
    Set<String> uids = new TreeSet<>();
    dashboard.findValues("datasource").forEach(d -> uids.add(d.path("uid").asText()));
    assertThat(uids).hasSize(1);
    assertThat(datasource).contains("uid: " + uids.iterator().next()).contains("url: http://prometheus:9090");
    assertThat(Files.readString(Path.of("docker/grafana/provisioning/dashboards/overture.yaml")))
        .contains("path: /var/lib/grafana/dashboards");
    assertThat(Files.readString(Path.of("docker/compose.yaml")))
        .contains("./grafana/dashboards:/var/lib/grafana/dashboards:ro")
        .contains("./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
    assertThat(Files.readString(Path.of("docker/prometheus/prometheus.yml"))).contains("metrics_path: /actuator/prometheus");
  }

  @Test
  void readsMetricNamesOutOfPromQl() {
    assertThat(namesIn("histogram_quantile(0.99, sum by (le, journey) (rate(a_seconds_bucket{journey=~\"$journey\", x!=\"by\"}[$__rate_interval])))"
        + " / on (journey) group_left sum without (le) (b_total offset 1h) > bool 1e3"))
        .containsExactlyInAnyOrder("a_seconds_bucket", "b_total");
    Map<String, String> types = Map.of("h_seconds", "histogram", "s_seconds", "summary", "c_total", "counter");
    Set<String> samples = Set.of("h_seconds_bucket", "h_seconds_count", "s_seconds_count", "s_seconds_sum", "c_total");
    assertThat(problem("h_seconds_bucket", types, samples)).isNull();
    assertThat(problem("s_seconds_bucket", types, samples)).as("a summary has no buckets").isNotNull();
    assertThat(problem("s_seconds_sum", types, samples)).isNull();
    assertThat(problem("c_total", types, samples)).isNull();
    assertThat(problem("d_total", types, samples)).isNotNull();
  }

  private String consentingProfile() {
    String profileId = createProfile(uniqueEmail("dashboard"), "Dana");
    setConsent(profileId, "email", "marketing", "granted");
    return profileId;
  }

  private String scrape() {
    return api().get("/actuator/prometheus").then().statusCode(200).extract().asString();
  }

  /** Every metric name in the dashboard's panel queries and variable queries. */
  static Set<String> metricNames(JsonNode dashboard) {
    Set<String> names = new TreeSet<>();
    dashboard.findValues("expr").forEach(e -> names.addAll(namesIn(e.asText())));
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      Matcher m = LABEL_VALUES.matcher(variable.path("query").path("query").asText(variable.path("query").asText()));
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** The metric names of one PromQL expression: what is left after strings, matchers, ranges, groupings and functions. */
  static Set<String> namesIn(String expr) {
    String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'", "\"\"")
        .replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\[[^]]*]", " ")
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " $1 ");
    Set<String> names = new TreeSet<>();
    Matcher m = NAME.matcher(bare);
    while (m.find()) {
      String name = m.group();
      // a function or an aggregation: its arguments follow, or first its grouping (sum by (le) (...))
      boolean function = bare.substring(m.end()).matches("(?s)\\s*(\\(|(by|without)\\b).*");
      if (!function && !KEYWORDS.contains(name.toLowerCase())) {
        names.add(name);
      }
    }
    return names;
  }

  /** The names among {@code names} that the exposition does not offer as they are used, each with why. */
  private static List<String> missing(Set<String> names, String exposition) {
    Map<String, String> types = new HashMap<>();
    Set<String> samples = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        types.put(parts[2], parts[3]);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        samples.add(line.split("[{ ]", 2)[0]);
      }
    }
    List<String> out = new ArrayList<>();
    for (String name : names) {
      String problem = problem(name, types, samples);
      if (problem != null) {
        out.add(problem);
      }
    }
    return out;
  }

  /** Why {@code name} is not usable in a query, or null: it must be a sample, of a family of the type its suffix needs. */
  private static String problem(String name, Map<String, String> types, Set<String> samples) {
    if (!samples.contains(name)) {
      return name + " is not exported";
    }
    if (types.containsKey(name)) {
      return null;
    }
    for (String suffix : List.of("_bucket", "_count", "_sum", "_total")) {
      if (name.endsWith(suffix)) {
        String family = name.substring(0, name.length() - suffix.length());
        String type = types.get(family);
        boolean fits = switch (suffix) {
          case "_bucket" -> "histogram".equals(type);
          case "_total" -> "counter".equals(type);
          default -> "histogram".equals(type) || "summary".equals(type);
        };
        return fits ? null : name + " needs a " + ("_bucket".equals(suffix) ? "histogram" : "_total".equals(suffix) ? "counter"
            : "histogram or summary") + " family " + family + ", which is " + (type == null ? "not exported" : "a " + type);
      }
    }
    return name + " has no # TYPE";
  }
}
