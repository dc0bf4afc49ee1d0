package dev.overture.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.overture.enrollment.Enrollments;
import dev.overture.profile.Profiles;
import dev.overture.segment.Segments;
import dev.overture.support.AppTestBase;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pausing a journey over the REST API: REST entries, event starts and audience enrollments stop
 * (refused with 409 problem+json or recorded as refusals) and come back on resume; running instances go
 * on unless the pause suspends them. Each test pauses a journey of its own ({@link WaitingJourney}).
 */
class JourneyPauseApiTest extends AppTestBase {

  @Autowired RepositoryService repository;
  @Autowired RuntimeService runtime;
  @Autowired JdbcClient jdbc;
  @Autowired Segments segments;
  @Autowired Profiles profiles;
  @Autowired Enrollments enrollments;
  @Autowired JourneyCatalog catalog;
  @Autowired TransactionTemplate tx;

  private WaitingJourney journey;

  @BeforeEach
  void deployJourney() {
    journey = WaitingJourney.deploy(repository);
  }

  @Test
  void pausedJourneyRefusesRestEntriesWithProblemAndResumeLetsThemIn() {
    String profileId = createProfile(uniqueEmail("paused"), "Paula");

    api().post("/api/journeys/{key}/pause", journey.key()).then().statusCode(200)
        .body("state", equalTo("paused"));
    api().get("/api/journeys/{key}", journey.key()).then().statusCode(200).body("state", equalTo("paused"));

    api().body(Map.of("profileId", profileId)).post("/api/journeys/{key}/entries", journey.key())
        .then().statusCode(409)
        .contentType("application/problem+json")
        .body("type", containsString("journey-paused"))
        .body("title", equalTo("Journey paused"));
    assertThat(instancesOf(profileId)).isZero();

    api().post("/api/journeys/{key}/resume", journey.key()).then().statusCode(200).body("state", equalTo("active"));
    api().body(Map.of("profileId", profileId)).post("/api/journeys/{key}/entries", journey.key()).then().statusCode(201);
    assertThat(instancesOf(profileId)).isEqualTo(1);
  }

  @Test
  void eventOfAPausedJourneysStartTypeStartsNothingUntilResumed() {
    String profileId = createProfile(uniqueEmail("event"), "Eve");
    api().post("/api/journeys/{key}/pause", journey.key()).then().statusCode(200);

    String whilePaused = sendStartEvent(profileId);
    await().atMost(Duration.ofSeconds(30)).until(() -> processed(whilePaused));
    assertThat(instancesOf(profileId)).isZero();

    api().post("/api/journeys/{key}/resume", journey.key()).then().statusCode(200);
    String afterResume = sendStartEvent(profileId);
    await().atMost(Duration.ofSeconds(30)).until(() -> processed(afterResume));
    assertThat(instancesOf(profileId)).isEqualTo(1);
  }

  @Test
  void enrollmentIntoAPausedJourneyIsRefusedAndARunningOneRecordsItsMembersAsRefused() {
    String cohort = "c" + UUID.randomUUID().toString().substring(0, 8);
    String a = profiles.upsert(Map.of("email", uniqueEmail("enr")), Map.of("cohort", cohort)).profile().id();
    String b = profiles.upsert(Map.of("email", uniqueEmail("enr")), Map.of("cohort", cohort)).profile().id();
    String segment = "pause-" + cohort;
    segments.define(segment, "Pause audience", "cohort = \"" + cohort + "\"");

    api().post("/api/journeys/{key}/pause", journey.key()).then().statusCode(200);
    api().body(Map.of("segmentKey", segment)).post("/api/journeys/{key}/enrollments", journey.key())
        .then().statusCode(409).contentType("application/problem+json").body("type", containsString("journey-paused"));

    // an enrollment that was already running when the journey was paused: both committed together, so its
    // first chunk surely runs while the journey is paused
    api().post("/api/journeys/{key}/resume", journey.key()).then().statusCode(200);
    String running = tx.execute(s -> {
      String id = enrollments.start(journey.key(), segment, Map.of(), null, "test").id();
      catalog.pause(journey.key(), false, "test");
      return id;
    });
    await().atMost(Duration.ofSeconds(30)).until(() ->
        api().get("/api/enrollments/{id}", running).then().extract().path("status").equals("completed"));
    api().get("/api/enrollments/{id}", running).then()
        .body("enrolled", equalTo(0))
        .body("skippedReasons.journey-paused", equalTo(2));
    assertThat(instancesOf(a) + instancesOf(b)).isZero();

    api().post("/api/journeys/{key}/resume", journey.key()).then().statusCode(200);
    String afterResume = api().body(Map.of("segmentKey", segment)).post("/api/journeys/{key}/enrollments", journey.key())
        .then().statusCode(202).extract().path("id");
    await().atMost(Duration.ofSeconds(30)).until(() ->
        api().get("/api/enrollments/{id}", afterResume).then().extract().path("status").equals("completed"));
    assertThat(instancesOf(a) + instancesOf(b)).isEqualTo(2);
  }

  @Test
  void pauseLetsRunningInstancesGoOnUnlessAskedToSuspendThemAndResumeReactivatesThem() {
    String profileId = createProfile(uniqueEmail("running"), "Rita");
    api().body(Map.of("profileId", profileId)).post("/api/journeys/{key}/entries", journey.key()).then().statusCode(201);

    api().post("/api/journeys/{key}/pause", journey.key()).then().statusCode(200).body("versions[0].suspended", equalTo(0));
    assertThat(suspendedOf(profileId)).isZero();

    api().body(Map.of("suspendRunning", true)).post("/api/journeys/{key}/pause", journey.key()).then().statusCode(200)
        .body("versions[0].running", equalTo(1))
        .body("versions[0].suspended", equalTo(1));
    assertThat(suspendedOf(profileId)).isEqualTo(1);

    api().post("/api/journeys/{key}/resume", journey.key()).then().statusCode(200)
        .body("state", equalTo("active"))
        .body("versions[0].suspended", equalTo(0));
    assertThat(suspendedOf(profileId)).isZero();
    assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(profileId).active().activityIdIn(WaitingJourney.WAIT)
        .count()).isEqualTo(1);
  }

  @Test
  void eventForASuspendedInstanceIsProcessedWithoutReachingIt() {
    String profileId = createProfile(uniqueEmail("suspended"), "Sue");
    api().body(Map.of("profileId", profileId)).post("/api/journeys/{key}/entries", journey.key()).then().statusCode(201);
    api().body(Map.of("suspendRunning", true)).post("/api/journeys/{key}/pause", journey.key()).then().statusCode(200);

    String whileSuspended = sendEvent(journey.leaveEvent(), profileId);
    await().atMost(Duration.ofSeconds(30)).until(() -> processed(whileSuspended));
    api().post("/api/journeys/{key}/resume", journey.key()).then().statusCode(200);
    assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(profileId).active().activityIdIn(WaitingJourney.WAIT)
        .count()).as("the event was not kept for the suspended instance").isEqualTo(1);

    String afterResume = sendEvent(journey.leaveEvent(), profileId);
    await().atMost(Duration.ofSeconds(30)).until(() -> processed(afterResume));
    assertThat(instancesOf(profileId)).isZero();
  }

  @Test
  void pausingAnUnknownJourneyIsANotFoundProblem() {
    api().post("/api/journeys/{key}/pause", "no-such-journey").then().statusCode(404)
        .contentType("application/problem+json").body("type", containsString("journey-not-found"));
  }

  private String sendStartEvent(String profileId) {
    return sendEvent(journey.startEvent(), profileId);
  }

  private String sendEvent(String type, String profileId) {
    String eventId = UUID.randomUUID().toString();
    api().body(Map.of("eventId", eventId, "type", type, "profileId", profileId, "properties", Map.of()))
        .post("/api/events").then().statusCode(202);
    return eventId;
  }

  private boolean processed(String eventId) {
    return jdbc.sql("SELECT COUNT(*) FROM customer_event WHERE event_id = ? AND processed_at IS NOT NULL").param(eventId)
        .query(Long.class).single() == 1;
  }

  private long instancesOf(String profileId) {
    return runtime.createProcessInstanceQuery().processDefinitionKey(journey.key()).processInstanceBusinessKey(profileId).count();
  }

  private long suspendedOf(String profileId) {
    return runtime.createProcessInstanceQuery().processDefinitionKey(journey.key()).processInstanceBusinessKey(profileId)
        .suspended().count();
  }
}
