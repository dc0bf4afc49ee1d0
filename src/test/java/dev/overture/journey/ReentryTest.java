package dev.overture.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.profile.Profiles;
import dev.overture.segment.Segments;
import dev.overture.support.AppTestBase;
import dev.overture.support.TestClock;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A journey's {@code overture:reentry} rule, as each way in meets it: an entry over REST, an event of the
 * journey's start type, an audience enrollment. A profile enters a {@link WaitingJourney} (it runs until the
 * profile's event {@code <id>.left}), then tries again: while its instance runs, after it ended, and (for {@code after:…})
 * inside and beyond the cooldown, on a clock the test moves.
 */
class ReentryTest extends AppTestBase {

  private static final Duration AWAIT = Duration.ofSeconds(30);

  @Autowired RepositoryService repository;
  @Autowired RuntimeService runtime;
  @Autowired JdbcClient jdbc;
  @Autowired Profiles profiles;
  @Autowired Segments segments;
  @Autowired TestClock clock;

  /** The three ways into a journey. */
  enum Way { REST, EVENT, ENROLLMENT }

  private String id;
  private String journey;
  private String profileId;
  private String segment;
  private String arrived;
  private String left;

  @BeforeEach
  void profileAndItsSegment() {
    id = "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    profileId = profiles.upsert(Map.of("email", uniqueEmail("reentry")), Map.of("cohort", id)).profile().id();
    segment = "reentry-" + id;
    segments.define(segment, "Re-entry audience", "cohort = \"" + id + "\"");
  }

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void alwaysLetsTheProfileInAgainWhileItsFirstInstanceRuns(Way way) {
    deploy("always");

    assertThat(enter(way)).as("first entry").isTrue();
    assertThat(enter(way)).as("again while the first runs").isTrue();
    assertThat(running()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void byDefaultTheProfileWaitsUntilItsInstanceHasEnded(Way way) {
    deploy(null);

    assertThat(enter(way)).as("first entry").isTrue();
    assertThat(enter(way)).as("again while it runs").isFalse();
    leave();
    assertThat(enter(way)).as("again once it ended").isTrue();
    assertThat(entries()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void neverLetsTheProfileInASecondTimeEvenYearsLater(Way way) {
    deploy("never");

    assertThat(enter(way)).as("first entry").isTrue();
    leave();
    assertThat(enter(way)).as("again once it ended").isFalse();
    clock.advance(Duration.ofDays(3650));
    assertThat(enter(way)).as("again ten years later").isFalse();
    assertThat(entries()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void afterACooldownTheProfileMayEnterAgainOnceItHasPassed(Way way) {
    deploy("after:P7D");

    assertThat(enter(way)).as("first entry").isTrue();
    leave();
    assertThat(enter(way)).as("at once, inside the cooldown").isFalse();
    clock.advance(Duration.ofDays(6));
    assertThat(enter(way)).as("six days later, still inside it").isFalse();
    clock.advance(Duration.ofDays(2));
    assertThat(enter(way)).as("eight days later, the cooldown has passed").isTrue();
    clock.advance(Duration.ofDays(8));
    assertThat(enter(way)).as("past the next cooldown, but the second instance still runs").isFalse();
    assertThat(entries()).isEqualTo(2);
  }

  /** Whether the profile entered the journey this way now (its entry rows grew by one). */
  private boolean enter(Way way) {
    long before = entries();
    switch (way) {
      case REST -> {
        Response r = api().body(Map.of("profileId", profileId)).post("/api/journeys/{key}/entries", journey);
        assertThat(r.statusCode()).as(r.asString()).isIn(201, 409);
        if (r.statusCode() == 409) {
          assertThat(r.<String>path("type")).endsWith("reentry-refused");
        }
      }
      case EVENT -> send(arrived);
      case ENROLLMENT -> {
        String enrollment = api().body(Map.of("segmentKey", segment)).post("/api/journeys/{key}/enrollments", journey)
            .then().statusCode(202).extract().path("id");
        await().atMost(AWAIT).until(() ->
            "completed".equals(api().get("/api/enrollments/{id}", enrollment).then().extract().path("status")));
      }
    }
    long after = entries();
    assertThat(after - before).as("entries one attempt adds").isBetween(0L, 1L);
    return after > before;
  }

  /** Ends the profile's running instance: the event it waits for. */
  private void leave() {
    send(left);
    await().atMost(AWAIT).until(() -> running() == 0);
  }

  private void send(String type) {
    String eventId = UUID.randomUUID().toString();
    api().body(Map.of("eventId", eventId, "type", type, "profileId", profileId, "properties", Map.of()))
        .post("/api/events").then().statusCode(202);
    await().atMost(AWAIT).until(() -> jdbc.sql("SELECT COUNT(*) FROM customer_event WHERE event_id = ? AND processed_at IS NOT NULL")
        .param(eventId).query(Long.class).single() == 1);
  }

  private long entries() {
    return jdbc.sql("SELECT COUNT(*) FROM journey_entry WHERE journey_key = ? AND profile_id = ?")
        .params(journey, profileId).query(Long.class).single();
  }

  private long running() {
    return runtime.createProcessInstanceQuery().processDefinitionKey(journey).processInstanceBusinessKey(profileId).count();
  }

  private void deploy(String rule) {
    WaitingJourney waiting = WaitingJourney.deploy(repository, rule);
    journey = waiting.key();
    arrived = waiting.startEvent();
    left = waiting.leaveEvent();
  }
}
