package dev.overture.enrollment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.overture.journey.WaitingJourney;
import dev.overture.platform.ApiKeys;
import dev.overture.support.AppTestBase;
import dev.overture.support.Audiences;
import dev.overture.support.TestClock;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A cron schedule on a journey's entry, on the app's test clock: each occurrence enrolls the segment's members as the
 * journey's re-entry rule lets them in, once per occurrence however many nodes try, and its runs are its history.
 */
class EnrollmentScheduleTest extends AppTestBase {

  private static final Duration AWAIT = Duration.ofSeconds(30);

  @Autowired RepositoryService repository;
  @Autowired JdbcClient jdbc;
  @Autowired TestClock clock;
  @Autowired EnrollmentSchedules schedules;
  @Autowired ApiKeys keys;

  private String cohort;
  private WaitingJourney journey;

  @BeforeEach
  void audienceAndJourney() {
    cohort = "sched" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    Audiences.create(this::api, jdbc, cohort, 3);
    journey = WaitingJourney.deploy(repository, Map.of(), "");
  }

  /** Its schedules stop, so that another test that moves the clock runs none of them. */
  @AfterEach
  void stopSchedulesAndResetClock() {
    schedules.ofJourney(journey.key()).stream().filter(s -> EnrollmentSchedule.ACTIVE.equals(s.status()))
        .forEach(s -> schedules.stop(s.id()));
    clock.reset();
  }

  @Test
  void eachOccurrenceEntersTheMembersTheReentryRuleLetsInAndTheRunsAreItsHistory() {
    JsonPath created = api().body(Map.of("segmentKey", cohort, "cron", "0 9 * * *", "timeZone", "UTC"))
        .post("/api/journeys/{key}/schedules", journey.key()).then().statusCode(201).extract().jsonPath();
    String id = created.getString("id");
    Instant first = Instant.parse(created.getString("nextAt"));
    assertThat(first).as("the next 09:00 UTC").isAfter(clock.instant());
    assertThat(first.atZone(java.time.ZoneOffset.UTC).getHour()).isEqualTo(9);
    assertThat(runs(id)).as("nothing before its time").isEmpty();

    clock.advance(Duration.between(clock.instant(), first).plusMinutes(1));
    await().atMost(AWAIT).until(() -> runs(id).size() == 1 && "completed".equals(runs(id).get(0).get("status")));
    Map<String, Object> run = runs(id).get(0);
    assertThat(run).containsEntry("occurrenceAt", first.toString()).containsEntry("entered", 3).containsEntry("missed", 0);
    assertThat(entries()).isEqualTo(3);

    clock.advance(Duration.ofDays(1));
    await().atMost(AWAIT).until(() -> runs(id).size() == 2 && "completed".equals(runs(id).get(0).get("status")));
    Map<String, Object> second = runs(id).get(0);
    assertThat(second).containsEntry("occurrenceAt", first.plus(Duration.ofDays(1)).toString()).containsEntry("entered", 0)
        .containsEntry("refused", Map.of("already-in-journey", 3));
    assertThat(entries()).as("still in the journey: the default rule lets nobody in twice").isEqualTo(3);

    // three days down: the occurrences of days 3 and 4 were missed, the latest (day 5) runs once for them
    clock.advance(Duration.ofDays(3));
    await().atMost(AWAIT).until(() -> runs(id).size() == 3 && "completed".equals(runs(id).get(0).get("status")));
    assertThat(runs(id).get(0)).containsEntry("occurrenceAt", first.plus(Duration.ofDays(4)).toString()).containsEntry("missed", 2);
    assertThat(runs(id).get(2)).as("oldest last").containsEntry("occurrenceAt", first.toString());
    assertThat(api().get("/api/enrollment-schedules/{id}", id).then().statusCode(200).extract().<String>path("nextAt"))
        .isEqualTo(first.plus(Duration.ofDays(5)).toString());
  }

  @Test
  void twoNodesThatFindTheSameOccurrenceDueRunItOnce() {
    EnrollmentSchedule s = schedules.create(journey.key(), cohort, "0 9 * * *", null, null, null, "test");
    clock.advance(Duration.between(clock.instant(), s.nextAt()).plusMinutes(1));
    List<CompletableFuture<Boolean>> tries = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      tries.add(CompletableFuture.supplyAsync(() -> schedules.runDue(s.id())));
    }
    long ranHere = tries.stream().map(CompletableFuture::join).filter(Boolean::booleanValue).count();
    await().atMost(AWAIT).until(() -> !schedules.runs(s.id(), 10).isEmpty());
    assertThat(jdbc.sql("SELECT COUNT(*) FROM enrollment_schedule_run WHERE schedule_id = ?").param(s.id())
        .query(Integer.class).single()).as("one run of the occurrence").isEqualTo(1);
    assertThat(ranHere).as("the background worker may have been first").isLessThanOrEqualTo(1);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM enrollment WHERE created_by = ?").param("schedule:" + s.id())
        .query(Integer.class).single()).as("one enrollment").isEqualTo(1);
  }

  @Test
  void badSchedulesAreProblems() {
    api().body(Map.of("segmentKey", cohort, "cron", "every monday"))
        .post("/api/journeys/{key}/schedules", journey.key()).then().statusCode(400)
        .contentType("application/problem+json").body("type", containsString("invalid-cron"));
    api().body(Map.of("segmentKey", cohort, "cron", "0 9 * * MON", "timeZone", "Mars/Olympus"))
        .post("/api/journeys/{key}/schedules", journey.key()).then().statusCode(400).body("type", containsString("invalid-time-zone"));
    api().body(Map.of("segmentKey", "no-such-" + cohort, "cron", "0 9 * * MON"))
        .post("/api/journeys/{key}/schedules", journey.key()).then().statusCode(404).contentType("application/problem+json");
    api().body(Map.of("segmentKey", cohort, "cron", "0 9 * * MON"))
        .post("/api/journeys/{key}/schedules", "no-such-journey-" + cohort).then().statusCode(404);
    api().get("/api/enrollment-schedules/{id}/runs", "no-such-schedule").then().statusCode(404)
        .contentType("application/problem+json");
    String id = api().body(Map.of("segmentKey", cohort, "cron", "0 9 * * MON"))
        .post("/api/journeys/{key}/schedules", journey.key()).then().statusCode(201).extract().path("id");
    api().post("/api/enrollment-schedules/{id}/stop", id).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("stopped"));
    api().post("/api/enrollment-schedules/{id}/stop", id).then().statusCode(409).contentType("application/problem+json");
  }

  @Test
  void theScheduleEndpointsNeedTheJourneyRight() {
    String id = schedules.create(journey.key(), cohort, "0 9 * * MON", null, null, null, "test").id();
    String allowed = keys.create("schedule test journeys " + cohort, List.of("journeys:write")).key();
    String refused = keys.create("schedule test events " + cohort, List.of("events:write", "segments:write")).key();
    given().header("Authorization", "Bearer " + allowed).get("/api/journeys/{key}/schedules", journey.key())
        .then().statusCode(200).body("[0].id", org.hamcrest.Matchers.equalTo(id));
    given().header("Authorization", "Bearer " + allowed).get("/api/enrollment-schedules/{id}/runs", id).then().statusCode(200);
    given().header("Authorization", "Bearer " + refused).contentType("application/json")
        .body(Map.of("segmentKey", cohort, "cron", "0 9 * * MON"))
        .post("/api/journeys/{key}/schedules", journey.key()).then().statusCode(403).body("detail", containsString("journeys:write"));
    given().header("Authorization", "Bearer " + refused).get("/api/enrollment-schedules/{id}", id).then().statusCode(403);
    given().header("Authorization", "Bearer " + refused).get("/api/enrollment-schedules/{id}/runs", id).then().statusCode(403);
    given().header("Authorization", "Bearer " + refused).post("/api/enrollment-schedules/{id}/stop", id).then().statusCode(403);
    given().get("/api/journeys/{key}/schedules", journey.key()).then().statusCode(401);
    assertThat(schedules.require(id).status()).isEqualTo("active");
  }

  private List<Map<String, Object>> runs(String id) {
    return api().get("/api/enrollment-schedules/{id}/runs", id).then().statusCode(200).extract().jsonPath().getList("$");
  }

  private long entries() {
    return jdbc.sql("SELECT COUNT(*) FROM journey_entry WHERE journey_key = ?").param(journey.key()).query(Long.class).single();
  }
}
