package dev.overture.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.support.AppTestBase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.overture.support.Audiences;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The journey cap over real entries: REST (409 journey-cap), an event entry, an audience enrollment,
 * preemption by priority, transactional journeys left alone, and two entries of one profile at once. Each
 * test deploys journeys of its own that wait at a timer before a Send, so that instances stay running.
 */
class JourneyCapTest extends AppTestBase {

  @Autowired JourneyCapProperties cap;
  @Autowired RepositoryService repository;
  @Autowired RuntimeService runtime;
  @Autowired Journeys journeys;
  @Autowired MeterRegistry meters;

  private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  private final String low = "cap-low-" + id;
  private final String mid = "cap-mid-" + id;
  private final String high = "cap-high-" + id;
  private final String receipt = "cap-receipt-" + id;

  @BeforeEach
  void deployJourneys() {
    deploy(low, 1, "marketing", null);
    deploy(mid, 5, "marketing", null);
    deploy(high, 10, "marketing", null);
    deploy(receipt, 0, "transactional", null);
  }

  @AfterEach
  void noCap() {
    cap.setMaxConcurrentMarketing(null);
    cap.setCapPreempts(false);
  }

  @Test
  void anEntryAtTheCapIsRefusedWithAProblemNamingTheCapAndCounted() {
    cap.setMaxConcurrentMarketing(2);
    String profileId = profile();
    enter(low, profileId).then().statusCode(201);
    enter(mid, profileId).then().statusCode(201);
    double before = refused(high);

    Response refused = enter(high, profileId);

    refused.then().statusCode(409).contentType("application/problem+json");
    assertThat(refused.jsonPath().getString("type")).endsWith("/journey-cap");
    assertThat(refused.jsonPath().getString("detail")).contains("overture.journeys.max-concurrent-marketing")
        .contains("(2)").contains(low).contains(mid).contains("cap-preempts is false");
    assertThat(refused.jsonPath().getInt("cap")).isEqualTo(2);
    assertThat(refused.jsonPath().getList("journeys", String.class)).containsExactlyInAnyOrder(low, mid);
    assertThat(refused(high)).isEqualTo(before + 1);
    assertThat(running(high, profileId)).isZero();
    // a transactional journey is never capped
    enter(receipt, profileId).then().statusCode(201);
  }

  @Test
  void aHigherPriorityEntryEndsTheLowestWhenPreemptionIsOn() {
    cap.setMaxConcurrentMarketing(2);
    cap.setCapPreempts(true);
    String profileId = profile();
    enter(low, profileId).then().statusCode(201);
    enter(mid, profileId).then().statusCode(201);

    enter(high, profileId).then().statusCode(201);

    assertThat(running(low, profileId)).as("the lowest priority made room").isZero();
    assertThat(running(mid, profileId)).isOne();
    assertThat(running(high, profileId)).isOne();
    assertThat(endReason(low, profileId)).isEqualTo("cancelled");
    // the lowest outranks neither: refused
    Response again = enter(low, profileId);
    again.then().statusCode(409);
    assertThat(again.jsonPath().getString("detail")).contains("outranks none of them");
  }

  @Test
  void anEventEntryAtTheCapIsSkippedOrPreemptsByPriority() {
    String event = "cap" + id + ".started";
    String byEvent = "cap-ev-" + id;
    deploy(byEvent, 9, "marketing", event);
    cap.setMaxConcurrentMarketing(1);
    String profileId = profile();
    enter(low, profileId).then().statusCode(201);

    String refusedEvent = startEvent(event, profileId);
    await().atMost(Duration.ofSeconds(20)).until(() -> processed(refusedEvent));
    assertThat(running(byEvent, profileId)).as("the event found the cap reached").isZero();

    cap.setCapPreempts(true);
    startEvent(event, profileId);
    await().atMost(Duration.ofSeconds(20)).until(() -> running(byEvent, profileId) == 1);
    assertThat(running(low, profileId)).as("the lower priority made room").isZero();
  }

  private String startEvent(String type, String profileId) {
    String eventId = "cap-" + UUID.randomUUID();
    api().body(Map.of("eventId", eventId, "type", type, "profileId", profileId)).post("/api/events").then().statusCode(202);
    return eventId;
  }

  private boolean processed(String eventId) {
    return jdbc.sql("SELECT COUNT(*) FROM customer_event WHERE event_id = ? AND processed_at IS NOT NULL").param(eventId)
        .query(Integer.class).single() == 1;
  }

  @Test
  void anEnrollmentSkipsTheMembersAtTheCapWithItsReason() {
    cap.setMaxConcurrentMarketing(1);
    String cohort = "cap" + id;
    List<String> members = Audiences.create(this::api, jdbc, cohort, 3);
    enter(low, members.get(0)).then().statusCode(201);

    String enrollment = api().body(Map.of("segmentKey", cohort)).post("/api/journeys/{key}/enrollments", mid)
        .then().statusCode(202).extract().path("id");
    await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(progress(enrollment).getString("status")));

    JsonPath done = progress(enrollment);
    assertThat(done.getLong("enrolled")).isEqualTo(2);
    assertThat(done.getMap("skippedReasons")).containsExactly(Map.entry(JourneyCapReached.REASON, 1));
    assertThat(running(mid, members.get(0))).isZero();
    assertThat(running(mid, members.get(1)) + running(mid, members.get(2))).isEqualTo(2);
    // a transactional journey's enrollment is never capped
    assertThat(journeys.refusedEntries(receipt, members)).isEmpty();
  }

  private JsonPath progress(String enrollmentId) {
    return api().get("/api/enrollments/{id}", enrollmentId).then().statusCode(200).extract().jsonPath();
  }

  @Test
  void twoEntriesOfOneProfileAtOnceDoNotBothPassTheCap() throws Exception {
    cap.setMaxConcurrentMarketing(1);
    for (int round = 0; round < 5; round++) {
      String profileId = profile();
      CountDownLatch go = new CountDownLatch(1);
      var a = CompletableFuture.supplyAsync(() -> afterGo(go, () -> enter(low, profileId).statusCode()));
      var b = CompletableFuture.supplyAsync(() -> afterGo(go, () -> enter(mid, profileId).statusCode()));
      go.countDown();

      assertThat(List.of(a.get(), b.get())).as("round %d", round).containsExactlyInAnyOrder(201, 409);
      assertThat(running(low, profileId) + running(mid, profileId)).isOne();
    }
  }

  @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;

  private static int afterGo(CountDownLatch go, java.util.function.IntSupplier call) {
    try {
      go.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return call.getAsInt();
  }

  private String profile() {
    String profileId = createProfile(uniqueEmail("cap"), "Cap");
    setConsent(profileId, "email", "marketing", "granted");
    return profileId;
  }

  private Response enter(String journeyKey, String profileId) {
    return api().body(Map.of("profileId", profileId)).post("/api/journeys/{key}/entries", journeyKey);
  }

  private long running(String journeyKey, String profileId) {
    return runtime.createProcessInstanceQuery().processDefinitionKey(journeyKey).processInstanceBusinessKey(profileId).count();
  }

  /** How the journey log says the profile's instance of the journey ended. */
  private String endReason(String journeyKey, String profileId) {
    return jdbc.sql("SELECT end_reason FROM journey_run WHERE journey_key = ? AND profile_id = ?").params(journeyKey, profileId)
        .query(String.class).single();
  }

  private double refused(String journeyKey) {
    Counter c = meters.find("overture.journeys.entries.refused").tags("journey", journeyKey, "reason", "journey-cap").counter();
    return c == null ? 0 : c.count();
  }

  /** A journey that waits 30 days, then sends one email of this purpose; started by the API or by {@code startEvent}. */
  private void deploy(String key, int priority, String purpose, String startEvent) {
    String start = startEvent == null ? "<bpmn:startEvent id=\"StartEvent_Entered\" />"
        : "<bpmn:startEvent id=\"StartEvent_Entered\"><bpmn:messageEventDefinition messageRef=\"Message_Start\" /></bpmn:startEvent>";
    String message = startEvent == null ? "" : "<bpmn:message id=\"Message_Start\" name=\"" + startEvent + "\" />";
    String xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
            id="Definitions_%1$s" targetNamespace="https://overture.dev/test">
          <bpmn:process id="%1$s" isExecutable="true" camunda:historyTimeToLive="P1D">
            <bpmn:extensionElements><camunda:properties>
              <camunda:property name="overture:priority" value="%2$d" />
              <camunda:property name="overture:reentry" value="always" />
            </camunda:properties></bpmn:extensionElements>
            %4$s
            <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_Entered" targetRef="Event_Wait" />
            <bpmn:intermediateCatchEvent id="Event_Wait">
              <bpmn:timerEventDefinition><bpmn:timeDuration>P30D</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:intermediateCatchEvent>
            <bpmn:sequenceFlow id="Flow_2" sourceRef="Event_Wait" targetRef="Task_Send" />
            <bpmn:serviceTask id="Task_Send" camunda:delegateExpression="${sendMessage}">
              <bpmn:extensionElements><camunda:properties>
                <camunda:property name="channel" value="email" />
                <camunda:property name="creativeKey" value="welcome" />
                <camunda:property name="purpose" value="%3$s" />
              </camunda:properties></bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:sequenceFlow id="Flow_3" sourceRef="Task_Send" targetRef="EndEvent_Done" />
            <bpmn:endEvent id="EndEvent_Done" />
          </bpmn:process>
          %5$s
        </bpmn:definitions>
        """.formatted(key, priority, purpose, start, message);
    repository.createDeployment().name(key).addString(key + ".bpmn", xml).deploy();
  }
}
