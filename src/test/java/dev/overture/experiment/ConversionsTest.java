package dev.overture.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

import dev.overture.event.CustomerEvent;
import dev.overture.event.Events;
import dev.overture.journey.Journeys;
import dev.overture.profile.Profiles;
import dev.overture.support.AppTestBase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Goal events recorded as conversions when they are ingested: window, condition, revenue, once per instance, erasure. */
class ConversionsTest extends AppTestBase {

  @Autowired RuntimeService runtime;
  @Autowired RepositoryService repository;
  @Autowired Profiles profiles;
  @Autowired Events events;
  @Autowired JdbcClient jdbc;
  @Autowired MeterRegistry meters;

  @Test
  void aGoalEventConvertsThoughTheDiagramNoLongerWaitsForIt() {
    Instant start = Instant.now();
    // no email consent: welcome ends at once, at EndEvent_NoConsent
    String profileId = profile();
    ProcessInstance pi = enter("welcome", profileId);
    assertThat(runtime.createProcessInstanceQuery().processInstanceId(pi.getId()).count()).isZero();

    purchase(profileId, Map.of("value", "19.90"));

    assertThat(conversionsOf(pi)).isEqualTo(1);
    JsonPath results = results("welcome", start);
    assertThat(results.getLong("entered")).isEqualTo(1);
    assertThat(results.getLong("conversions")).isEqualTo(1);
    assertThat(results.getDouble("revenue")).isCloseTo(19.90, within(0.001));
    assertThat(results.getList("byMessage")).isEmpty();
    assertThat(results.getMap("byEndEvent.find { it.elementId == 'EndEvent_NoConsent' }"))
        .containsEntry("reached", 1).containsEntry("converted", 1).containsEntry("conversionRate", 1.0f);
    assertThat(results.getString("goal.window")).isEqualTo("P7D");
  }

  @Test
  void onlyTheFirstGoalEventInsideTheWindowAfterEntryConverts() {
    String early = profile();
    String recent = profile();
    ProcessInstance tooLongAgo = enteredAgo("winback", early, Duration.ofDays(15));
    ProcessInstance withinWindow = enteredAgo("winback", recent, Duration.ofDays(13));
    Counter counter = meters.find("overture.journey.conversions").tag("journey", "winback")
        .tag("variant", variantOf(withinWindow)).counter();
    double before = counter == null ? 0 : counter.count();

    purchase(early, Map.of());
    purchase(recent, Map.of("value", 30));
    purchase(recent, Map.of("value", 50));

    assertThat(conversionsOf(tooLongAgo)).as("15 days after entry, the window of 14 is over").isZero();
    assertThat(conversionsOf(withinWindow)).isEqualTo(1);
    assertThat(jdbc.sql("SELECT revenue FROM journey_conversion WHERE instance_id = ?").param(withinWindow.getId())
        .query(java.math.BigDecimal.class).single()).isEqualByComparingTo("30");
    assertThat(meters.get("overture.journey.conversions").tag("journey", "winback").tag("variant", variantOf(withinWindow))
        .counter().count()).isEqualTo(before + 1);
  }

  @Test
  void aGoalConditionDecidesWhichEventsConvert() {
    String key = GoalJourneys.deploy(repository, """
        <camunda:property name="overture:goal" value="order.placed" />
        <camunda:property name="overture:goal-condition" value="value &gt;= 50 and currency = &quot;EUR&quot;" />
        <camunda:property name="overture:goal-window" value="P1D" />""", """
        <bpmn:startEvent id="StartEvent_Entered" />
        <bpmn:endEvent id="EndEvent_Done" />
        <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_Entered" targetRef="EndEvent_Done" />""", "");
    String profileId = profile();
    ProcessInstance pi = enter(key, profileId);

    event("order.placed", profileId, Map.of("value", 80, "currency", "USD"));
    event("order.placed", profileId, Map.of("value", 10, "currency", "EUR"));
    event("order.placed", profileId, Map.of("currency", "EUR"));
    assertThat(conversionsOf(pi)).isZero();

    event("order.placed", profileId, Map.of("value", 80, "currency", "EUR"));
    assertThat(conversionsOf(pi)).isEqualTo(1);
    assertThat(results(key, null).getDouble("revenue")).isCloseTo(80.0, within(0.001));
  }

  @Test
  void aConversionRollsBackWithAFailedCorrelationAndIsRecordedOnceByItsRetry() {
    // waits for the goal event, then evaluates ${probeReady}: the correlation fails until that variable exists
    String key = GoalJourneys.deploy(repository, """
        <camunda:property name="overture:goal" value="probe.bought" />""", """
        <bpmn:startEvent id="StartEvent_Entered" />
        <bpmn:intermediateCatchEvent id="Event_Bought"><bpmn:messageEventDefinition messageRef="Message_Bought" />
        </bpmn:intermediateCatchEvent>
        <bpmn:serviceTask id="Task_NeedsReadiness" camunda:expression="${probeReady}" />
        <bpmn:endEvent id="EndEvent_Done" />
        <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_Entered" targetRef="Event_Bought" />
        <bpmn:sequenceFlow id="Flow_2" sourceRef="Event_Bought" targetRef="Task_NeedsReadiness" />
        <bpmn:sequenceFlow id="Flow_3" sourceRef="Task_NeedsReadiness" targetRef="EndEvent_Done" />""",
        "<bpmn:message id=\"Message_Bought\" name=\"probe.bought\" />");
    String profileId = profile();
    ProcessInstance pi = enter(key, profileId);
    String eventId = UUID.randomUUID().toString();

    events.ingest(new CustomerEvent(eventId, "probe.bought", profileId, Instant.now(), Map.of("value", 5)));

    assertThat(jdbc.sql("SELECT attempts FROM customer_event WHERE event_id = ?").param(eventId).query(Integer.class).single())
        .as("the correlation failed").isPositive();
    assertThat(conversionsOf(pi)).as("rolled back with it").isZero();

    runtime.setVariable(pi.getId(), "probeReady", true);

    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> runtime.createProcessInstanceQuery().processInstanceId(pi.getId()).count() == 0);
    assertThat(conversionsOf(pi)).isEqualTo(1);
    assertThat(jdbc.sql("SELECT event_id FROM journey_conversion WHERE instance_id = ?").param(pi.getId())
        .query(String.class).single()).isEqualTo(eventId);
  }

  @Test
  void erasureRemovesTheProfilesConversionsAndAssignments() {
    String profileId = profile();
    ProcessInstance pi = enter("winback", profileId);
    purchase(profileId, Map.of());
    assertThat(conversionsOf(pi)).isEqualTo(1);

    api().delete("/api/profiles/{id}", profileId).then().statusCode(200);

    assertThat(conversionsOf(pi)).isZero();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM experiment_assignment WHERE profile_id = ?").param(profileId)
        .query(Integer.class).single()).isZero();
  }

  @Test
  void theResultsOfAnUnknownJourneyAre404AndABadPeriodIs400() {
    api().get("/api/journeys/{key}/results", "no-such-journey").then().statusCode(404)
        .contentType("application/problem+json");
    api().queryParam("from", "yesterday").get("/api/journeys/welcome/results").then().statusCode(400)
        .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.containsString("from"));
    api().get("/api/journeys/campaign-launch/results").then().statusCode(404);
    api().get("/api/journeys/store-visit/results").then().statusCode(200).body("goal", equalTo(null))
        .body("conversionRate", equalTo(null));
  }

  private ProcessInstance enteredAgo(String key, String profileId, Duration ago) {
    ClockUtil.setCurrentTime(Date.from(Instant.now().minus(ago)));
    try {
      return enter(key, profileId);
    } finally {
      ClockUtil.reset();
    }
  }

  private String variantOf(ProcessInstance pi) {
    return jdbc.sql("SELECT variant FROM experiment_assignment WHERE instance_id = ?").param(pi.getId()).query(String.class).single();
  }

  private String profile() {
    return profiles.upsert(Map.of("email", "cv-" + UUID.randomUUID() + "@example.com"), Map.of()).profile().id();
  }

  private ProcessInstance enter(String key, String profileId) {
    return runtime.startProcessInstanceByKey(key, profileId, Map.of(Journeys.PROFILE_ID, profileId));
  }

  private void purchase(String profileId, Map<String, Object> properties) {
    event("purchase.completed", profileId, properties);
  }

  private void event(String type, String profileId, Map<String, Object> properties) {
    events.ingest(new CustomerEvent(UUID.randomUUID().toString(), type, profileId, Instant.now(), properties));
  }

  private int conversionsOf(ProcessInstance pi) {
    return jdbc.sql("SELECT COUNT(*) FROM journey_conversion WHERE instance_id = ?").param(pi.getId()).query(Integer.class).single();
  }

  private JsonPath results(String key, Instant from) {
    var spec = api();
    if (from != null) {
      spec = spec.queryParam("from", from.toString());
    }
    return spec.get("/api/journeys/{key}/results", key).then().statusCode(200).extract().jsonPath();
  }
}
