package dev.overture.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.campaign.CampaignFixtures;
import dev.overture.support.AppTestBase;
import dev.overture.support.Browser;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A marketer opens a journey in Cockpit and reads, from the diagram and the analytics tab, the same numbers as
 * the stats and results APIs give: each step's entered, active and completed, the end events' conversion
 * rates, the entries per day and the experiment's variant table. Without the plugin nothing is drawn and the
 * waits for its overlays fail.
 */
class CockpitAnalyticsBrowserTest extends AppTestBase {

  /**
   * Every step overlay as the page shows it, read in one script run so that no zoom can fall between two reads;
   * null (wait on) while one is not on show. diagram-js hides its whole overlay layer from a viewbox change until
   * 300 ms after the last one, and Cockpit changes the viewbox again whenever its layout resizes the canvas, so an
   * overlay that exists is not yet one a person sees. On show: rendered, and not clipped away by the canvas (Selenium's sense of displayed).
   */
  static final String OVERLAYS_ON_SHOW = """
      const [expected] = arguments;
      const canvas = document.querySelector('.djs-container');
      const overlays = [...document.querySelectorAll('.overture-step-stats')];
      if (!canvas || overlays.length !== expected) return null;
      const frame = canvas.getBoundingClientRect();
      const onShow = e => {
        if (!e.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false;
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.left < frame.right && r.right > frame.left && r.top < frame.bottom && r.bottom > frame.top;
      };
      const parts = ['.entered', '.active', '.completed'];
      if (!overlays.every(o => parts.every(p => o.querySelector(p) && onShow(o.querySelector(p))))) return null;
      const shown = {};
      overlays.forEach(o => {
        const read = {};
        parts.forEach(p => read[p.substring(1)] = o.querySelector(p).innerText);
        const conversion = o.querySelector('.conversion');
        if (conversion) {
          if (!onShow(conversion)) throw new Error('the conversion on ' + o.dataset.elementId + ' is drawn outside the canvas');
          read.conversion = conversion.innerText;
          read.rate = conversion.dataset.rate;
        }
        shown[o.dataset.elementId] = read;
      });
      return shown;
      """;
  /** Rates as the JSON's doubles (JsonPath's default float would differ from them in the eighth digit). */
  static final JsonPathConfig EXACT = JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE);
  static final By STEP_STATS = By.cssSelector(".overture-step-stats");

  @Autowired IdentityService identity;
  @Autowired RepositoryService repository;
  @Autowired RuntimeService runtime;
  @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;
  @Autowired org.springframework.transaction.support.TransactionTemplate tx;

  Browser browser;

  @Test
  void theDiagramAndTheTabShowWhatTheApiCounts() throws IOException {
    try (Browser opened = new Browser()) {
      browser = opened;
      readsTheApisNumbersInCockpit();
    }
  }

  @Test
  void anApprovalProcessGetsNoOverlays() {
    try (Browser opened = new Browser()) {
      browser = opened;
      var launch = repository.createProcessDefinitionQuery().processDefinitionKey("campaign-launch").latestVersion().singleResult();
      signInToCockpit(ADMIN, ADMIN_PASSWORD);
      browser.open(cockpit("#/process-definition/" + launch.getId() + "/runtime"));
      browser.click(By.xpath("//a[normalize-space()='Journey analytics']"));
      browser.waitForText(By.cssSelector(".overture-not-a-journey"), "campaign-launch is an approval process");
      browser.visible(By.cssSelector(".djs-container svg"));
      assertThat(browser.driver().findElements(STEP_STATS)).isEmpty();
    }
  }

  private void readsTheApisNumbersInCockpit() throws IOException {
    String journey = deployOwnWinback();
    seedProfilesWalking(journey, 30, 10);
    recordDecision(journey);
    var definition = repository.createProcessDefinitionQuery().processDefinitionKey(journey).latestVersion().singleResult();
    JsonPath stats = api().get("/api/journeys/{key}/stats?version={v}", journey, definition.getVersion())
        .then().statusCode(200).extract().jsonPath(EXACT);
    JsonPath results = api().get("/api/journeys/{key}/results?version={v}", journey, definition.getVersion())
        .then().statusCode(200).extract().jsonPath(EXACT);
    List<Map<String, Object>> elements = stats.getList("elements");
    assertThat(stats.getInt("entered")).as("the seeded entries are counted").isEqualTo(30);

    signInToCockpit(CampaignFixtures.user(identity, "analyst", "marketers"));
    browser.open(cockpit("#/process-definition/" + definition.getId() + "/runtime"));
    Map<String, Map<String, Object>> drawn = browser.until(d -> overlaysOnShow(elements.size()));

    for (Map<String, Object> element : elements) {
      assertThat(drawn.get((String) element.get("elementId"))).as("the overlay on %s", element.get("elementId"))
          .containsAllEntriesOf(Map.of("entered", element.get("entered"), "active", element.get("active"),
              "completed", element.get("completed")));
    }
    List<Map<String, Object>> ends = results.getList("byEndEvent");
    assertThat(ends).isNotEmpty();
    for (Map<String, Object> end : ends) {
      Map<String, Object> overlay = drawn.get((String) end.get("elementId"));
      double rate = ((Number) end.get("conversionRate")).doubleValue();
      assertThat(Double.parseDouble((String) overlay.get("rate"))).isEqualTo(rate);
      assertThat(overlay.get("conversion")).isEqualTo(percent(rate) + " converted");
    }
    // a zoom hides every overlay until the diagram rests again (out, so that none leaves the canvas): the numbers
    // read once they are back are the ones drawn before
    browser.click(By.cssSelector("button[title='zoom out']"));
    Map<String, Map<String, Object>> zoomed = browser.until(d -> overlaysOnShow(elements.size()));
    assertThat(zoomed).as("the overlays after a zoom").isEqualTo(drawn);

    browser.click(By.xpath("//a[normalize-space()='Journey analytics']"));
    browser.visible(By.cssSelector(".overture-analytics"));
    WebElement totals = browser.visible(By.cssSelector(".overture-totals"));
    assertThat(totals.getText()).startsWith("Version " + definition.getVersion() + ": ");
    assertThat(List.of(number(totals, ".entered"), number(totals, ".active"), number(totals, ".completed"),
        number(totals, ".conversions"))).isEqualTo(List.of(stats.getInt("entered"), stats.getInt("active"),
        stats.getInt("completed"), results.getInt("conversions")));
    Map<String, Integer> enteredPerDay = new HashMap<>();
    for (WebElement bar : browser.driver().findElements(By.cssSelector(".overture-daily-chart rect.entered"))) {
      enteredPerDay.put(bar.getAttribute("data-day"), Integer.parseInt(bar.getAttribute("data-value")));
    }
    for (Map<String, Object> day : stats.<Map<String, Object>>getList("daily")) {
      assertThat(enteredPerDay.get((String) day.get("day"))).as("entries on %s", day.get("day")).isEqualTo(day.get("entered"));
    }
    assertVariantTables(results);
    screenshot("cockpit-winback");
  }

  private void assertVariantTables(JsonPath results) {
    List<Map<String, Object>> experiments = results.getList("experiments");
    assertThat(browser.driver().findElements(By.cssSelector(".overture-experiment"))).hasSize(experiments.size());
    for (Map<String, Object> experiment : experiments) {
      String table = ".overture-experiment[data-experiment='" + experiment.get("experimentKey") + "'] ";
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> variants = (List<Map<String, Object>>) experiment.get("variants");
      List<WebElement> rows = browser.driver().findElements(By.cssSelector(table + "tbody tr"));
      assertThat(rows).hasSize(variants.size());
      for (int i = 0; i < variants.size(); i++) {
        Map<String, Object> variant = variants.get(i);
        WebElement row = rows.get(i);
        assertThat(cell(row, "variant")).isEqualTo(variant.get("variant"));
        assertThat(cell(row, "control")).isEqualTo(Boolean.TRUE.equals(variant.get("control")) ? "yes" : "no");
        assertThat(number(row, ".profiles")).isEqualTo(variant.get("profiles"));
        assertThat(number(row, ".conversions")).isEqualTo(variant.get("conversions"));
        assertThat(value(row, "rate")).isEqualTo(decimal(variant.get("rate")));
        assertThat(value(row, "lift")).isEqualTo(decimal(variant.get("lift")));
        assertThat(value(row, "p-value")).isEqualTo(decimal(variant.get("pValue")));
        assertThat(cell(row, "winner")).isEqualTo(variant.get("variant").equals(experiment.get("winner")) ? "winner" : "");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> decision = (Map<String, Object>) experiment.get("decision");
      assertThat(decision).as("the auto-winner decision of %s", experiment.get("experimentKey")).isNotNull();
      WebElement note = browser.driver().findElement(By.cssSelector(table + ".decision"));
      assertThat(note.getAttribute("data-winner")).isEqualTo(decision.get("winner"));
      assertThat(note.getText()).contains("every entry since goes to " + decision.get("winner"))
          .contains("but " + decision.get("controlShare") + " % kept in control").contains("holm-bonferroni");
    }
  }

  /** An auto-winner decision for the journey's experiment, as a round records it (its figures need not be met here). */
  private void recordDecision(String journeyKey) {
    tx.executeWithoutResult(s -> jdbc.sql("""
            INSERT INTO experiment_decision (journey_key, experiment_key, winner, decided_at, p_value, adjusted_p_value, alpha,
              minimum_sample, method, control_variant, control_share, figures)
            SELECT DISTINCT journey_key, experiment_key, 'A', UTC_TIMESTAMP(3), 0.001, 0.002, 0.05, 100, 'holm-bonferroni',
              'control', 10, '[{"variant":"A","control":false,"profiles":120,"conversions":40,"rate":0.33,"pValue":0.001,"adjustedPValue":0.002}]'
            FROM experiment_assignment WHERE journey_key = ?""").param(journeyKey).update());
  }

  /**
   * Profiles with marketing consent enter the journey; the first {@code buying} of them buy, which ends their
   * journey at the goal; the rest wait for the purchase or the timer.
   */
  private void seedProfilesWalking(String journeyKey, int profiles, int buying) {
    List<String> buyers = new ArrayList<>();
    for (int i = 0; i < profiles; i++) {
      String profileId = createProfile(uniqueEmail("walker"), "Walker");
      setConsent(profileId, "email", "marketing", "granted");
      api().body(Map.of("profileId", profileId)).post("/api/journeys/{key}/entries", journeyKey).then().statusCode(201);
      if (i < buying) {
        buyers.add(profileId);
      }
    }
    for (String buyer : buyers) {
      api().body(Map.of("eventId", "order-" + UUID.randomUUID(), "type", "purchase.completed", "profileId", buyer))
          .post("/api/events").then().statusCode(202);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> buyers.stream()
        .allMatch(b -> runtime.createProcessInstanceQuery().processInstanceBusinessKey(b).processDefinitionKey(journeyKey).count() == 0));
  }

  /**
   * The overlays' numbers, once every one of them is on show ({@link #OVERLAYS_ON_SHOW}); null while not.
   */
  @SuppressWarnings("unchecked")
  private Map<String, Map<String, Object>> overlaysOnShow(int expected) {
    Object shown = browser.driver().executeScript(OVERLAYS_ON_SHOW, expected);
    if (shown == null) {
      return null;
    }
    Map<String, Map<String, Object>> numbers = new HashMap<>();
    ((Map<String, Map<String, Object>>) shown).forEach((element, read) -> {
      Map<String, Object> parsed = new HashMap<>(read);
      for (String count : List.of("entered", "active", "completed")) {
        parsed.put(count, Integer.parseInt(((String) read.get(count)).replace(",", "")));
      }
      numbers.put(element, parsed);
    });
    return numbers;
  }

  /**
   * bpmn/winback.bpmn under a key and experiment of this test's own: the numbers on the page are this test's
   * entries alone, whatever other tests of the shared context did with winback.
   */
  private String deployOwnWinback() throws IOException {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    String key = "winback-cockpit-" + id;
    String xml;
    try (var in = getClass().getResourceAsStream("/bpmn/winback.bpmn")) {
      xml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    xml = xml.replace("id=\"winback\"", "id=\"" + key + "\"").replace("bpmnElement=\"winback\"", "bpmnElement=\"" + key + "\"")
        .replace(">winback-offer<", ">winback-offer-" + id + "<");
    repository.createDeployment().name(key).addString(key + ".bpmn", xml).deploy();
    return key;
  }

  private void signInToCockpit(String user) {
    signInToCockpit(user, user + "-pw");
  }

  private void signInToCockpit(String user, String password) {
    browser.open(cockpit("#/login"));
    browser.fill(By.cssSelector("input[ng-model='username']"), user);
    browser.fill(By.cssSelector("input[type='password']"), password);
    browser.click(By.cssSelector("button[type='submit']"));
    browser.waitForText(By.cssSelector(".navbar-brand"), "Overture Cockpit");
  }

  private String cockpit(String fragment) {
    return "http://localhost:" + port + "/camunda/app/cockpit/default/" + fragment;
  }

  private void screenshot(String name) throws IOException {
    Path file = Path.of("target", name + ".png");
    Files.createDirectories(file.getParent());
    Files.write(file, browser.driver().getScreenshotAs(OutputType.BYTES));
  }

  private static int number(WebElement scope, String css) {
    return Integer.parseInt(scope.findElement(By.cssSelector(css)).getText().replace(",", ""));
  }

  private static String cell(WebElement row, String css) {
    return row.findElement(By.cssSelector("td." + css)).getText();
  }

  private static Double value(WebElement row, String css) {
    String raw = row.findElement(By.cssSelector("td." + css)).getAttribute("data-value");
    return raw == null || raw.equals("null") ? null : Double.valueOf(raw);
  }

  private static Double decimal(Object json) {
    return json == null ? null : ((Number) json).doubleValue();
  }

  /**
   * The plugin's format: one decimal and a spaced percent sign. JavaScript's toFixed(1) rounds the double's
   * exact value, ties up, which is what BigDecimal of the same double does with HALF_UP.
   */
  private static String percent(double rate) {
    return new java.math.BigDecimal(rate * 100).setScale(1, java.math.RoundingMode.HALF_UP) + " %";
  }
}
