package dev.overture.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.delivery.Deliveries;
import dev.overture.delivery.Delivery;
import dev.overture.support.AppTestBase;
import dev.overture.support.JourneyRuns;
import dev.overture.support.TestJourneys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A test profile walks a journey like a customer (its email goes out, its purchase ends the journey at its goal)
 * and counts nowhere: not in the stats, the message counters, the results, the experiment's arms, the conversions,
 * the journey metrics or the frequency cap. A customer walking beside it counts, so each number has something
 * to be wrong about.
 */
class TestWalkCountsNowhereTest extends AppTestBase {

  @Autowired RepositoryService repository;
  @Autowired JdbcClient jdbc;
  @Autowired Deliveries deliveries;
  @Autowired MeterRegistry meters;

  private String key;

  @BeforeEach
  void deploy() {
    key = TestJourneys.deploy(repository, "count-nowhere.bpmn", "count-nowhere");
  }

  @Test
  void aTestProfileCountsInNoStatsResultsConversionsOrMetrics() {
    String customer = profile(false, null);
    String tester = profile(true, null);

    String customerRun = enterAndPurchase(customer);
    String testRun = enterAndPurchase(tester);
    await().atMost(Duration.ofSeconds(30)).until(() -> JourneyRuns.endElement(jdbc, customerRun) != null
        && JourneyRuns.endElement(jdbc, testRun) != null);
    awaitSentEmails(customer, 1);
    awaitSentEmails(tester, 1);

    JsonPath stats = api().get("/api/journeys/{key}/stats", key).then().statusCode(200).extract().jsonPath();
    assertThat(stats.getLong("entered")).isEqualTo(1);
    assertThat(stats.getLong("completed")).isEqualTo(1);
    assertThat(stats.getLong("exited.goal_reached")).isEqualTo(1);
    assertThat(stats.getLong("elements.find { it.elementId == 'Task_SendEmail' }.entered")).isEqualTo(1);
    assertThat(stats.getLong("messages.find { it.elementId == 'Task_SendEmail' }.sent")).isEqualTo(1);

    JsonPath results = api().get("/api/journeys/{key}/results", key).then().statusCode(200).extract().jsonPath();
    assertThat(results.getLong("entered")).isEqualTo(1);
    assertThat(results.getLong("conversions")).isEqualTo(1);
    assertThat(results.getList("experiments[0].variants.profiles", Integer.class).stream().mapToInt(Integer::intValue).sum())
        .as("profiles in the experiment's arms").isEqualTo(1);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM journey_conversion WHERE instance_id = ?").param(testRun).query(Long.class).single())
        .as("the test walk's conversion").isZero();

    assertThat(count("overture.journeys.entered", Map.of("journey", key))).isEqualTo(1);
    assertThat(count("overture.journey.steps.completed", Map.of("journey", key, "element", "Task_SendEmail"))).isEqualTo(1);
    assertThat(count("overture.journey.conversions", Map.of("journey", key))).isEqualTo(1);
    assertThat(count("overture.experiment.assignments", Map.of("journey", key))).as("profiles in the arms' metric").isEqualTo(1);
    assertThat(JourneyRuns.run(jdbc, testRun)).as("the test walk keeps its row, marked")
        .containsEntry("end_reason", "goal_reached").containsEntry("test", true);
  }

  @Test
  void aTestProfilesEmailsTakeNoFrequencyCapSlotAndIgnoreQuietHours() {
    // the cap is 3 marketing emails in 7 days, and it is 02:00 where this profile lives
    String tester = profile(true, nightZone());

    for (int i = 0; i < 4; i++) {
      enter(tester);
    }

    awaitSentEmails(tester, 4);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM frequency_slot WHERE profile_id = ?").param(tester).query(Long.class).single())
        .as("frequency-cap slots of the test profile").isZero();
  }

  private String profile(boolean test, String timezone) {
    Map<String, Object> attributes = new HashMap<>(Map.of("firstName", test ? "Tess" : "Cora"));
    if (test) {
      attributes.put("testProfile", true);
    }
    if (timezone != null) {
      attributes.put("timezone", timezone);
    }
    String id = api().body(Map.of("identities", Map.of("email", uniqueEmail("counts")), "attributes", attributes))
        .post("/api/profiles").then().statusCode(201).extract().path("id");
    setConsent(id, "email", "marketing", "granted");
    return id;
  }

  private String enter(String profileId) {
    String entryId = api().body(Map.of("profileId", profileId)).post("/api/journeys/{key}/entries", key)
        .then().statusCode(201).extract().path("entryId");
    return jdbc.sql("SELECT process_instance_id FROM journey_entry WHERE id = ?").param(entryId).query(String.class).single();
  }

  /** Enters, then buys at once: the instance waits for the purchase from the entry on (a test walk's day is seconds). */
  private String enterAndPurchase(String profileId) {
    String instanceId = enter(profileId);
    api().body(Map.of("eventId", UUID.randomUUID().toString(), "type", "purchase.completed", "profileId", profileId,
            "properties", Map.of("value", 25)))
        .post("/api/events").then().statusCode(202);
    return instanceId;
  }

  private void awaitSentEmails(String profileId, int n) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deliveries.ofProfile(profileId))
        .extracting(Delivery::status).hasSize(n).containsOnly(Delivery.SENT));
  }

  private double count(String meter, Map<String, String> tags) {
    var search = meters.find(meter);
    for (Map.Entry<String, String> t : tags.entrySet()) {
      search = search.tag(t.getKey(), t.getValue());
    }
    return search.counters().stream().mapToDouble(Counter::count).sum();
  }

  /** A fixed offset at which it is now about 02:00, inside the default quiet hours (21:00 to 08:00). */
  private static String nightZone() {
    int hourUtc = Instant.now().atZone(ZoneOffset.UTC).getHour();
    int offset = Math.floorMod(2 - hourUtc + 11, 24) - 11;
    return ZoneOffset.ofHours(offset).getId();
  }
}
