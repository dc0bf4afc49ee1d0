package dev.overture.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.support.AppTestBase;
import dev.overture.support.TestJourneys;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.management.JobDefinition;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every timer of a test profile's journey is due within the test-mode wait, whatever the diagram draws: the
 * three Wait templates, literal durations and dates, the older {@code waits.of} expression, boundary timers (a
 * cycle's repetitions too) and an event subprocess's timer start; a customer's timers keep their drawn dates.
 * A Wait behind an event-based gateway (its timer is created at the gateway) is computed for either.
 * The journey's job definitions are suspended before the entry, so its timers are created suspended and stay
 * to be looked at (the job executor runs in this context).
 */
class TestModeTimersTest extends AppTestBase {

  private static final Map<String, String> DRAWN = Map.of(
      "Event_WaitDuration", "P3D (Wait (duration))",
      "Event_WaitUntilDate", "2099-12-01T09:00:00+01:00 (Wait (until date))",
      "Event_WaitLocalTime", "09:00 (Wait (until local time))",
      "Event_LiteralDuration", "P5D",
      "Event_LiteralDate", "2099-06-01T00:00:00Z",
      "Event_WaitsExpression", "${waits.of(execution, 'P2D')}",
      "Event_ReplyTimeout", "PT6H (interrupting boundary)",
      "Event_ReplyNudge", "R3/PT12H (non-interrupting boundary)",
      "StartEvent_DayPassed", "P1D (event subprocess)");
  /** Due dates are stored to the second. */
  private static final Duration SLACK = Duration.ofSeconds(1);

  @Autowired RepositoryService repository;
  @Autowired ManagementService management;
  @Autowired JourneyProperties props;
  @Autowired JdbcClient jdbc;

  private String key;

  @BeforeEach
  void deployWithItsTimersHeld() {
    key = TestJourneys.deploy(repository, "every-timer.bpmn", "every-timer");
    management.updateJobDefinitionSuspensionState().byProcessDefinitionKey(key).suspend();
  }

  @Test
  void everyTimerOfATestProfileIsDueWithinTheTestModeWait() {
    String profileId = profile(true);

    Instant before = Instant.now();
    String instanceId = enter(profileId);
    Instant after = Instant.now();

    Map<String, Instant> due = dueDates(instanceId);
    assertThat(due).containsOnlyKeys(DRAWN.keySet());
    // every timer reported, not only the first one that is off
    SoftAssertions.assertSoftly(soft -> due.forEach((activity, at) -> soft.assertThat(at)
        .as(activity + ", drawn " + DRAWN.get(activity))
        .isBetween(before.minus(SLACK), after.plus(props.testModeWait()).plus(SLACK))));
  }

  @Test
  void eachRepetitionOfATestProfilesCycleIsShortenedToo() {
    String instanceId = enter(profile(true));
    Job first = timerAt(instanceId, "Event_ReplyNudge");

    management.activateJobById(first.getId());
    // the job executor runs it within the test-mode wait; its next repetition is created suspended, like the first
    Job next = await().atMost(Duration.ofSeconds(30)).until(() -> timerAt(instanceId, "Event_ReplyNudge"),
        job -> job != null && !job.getId().equals(first.getId()));
    Instant created = Instant.now();

    assertThat(next.getDuedate().toInstant()).as("the second of R3/PT12H")
        .isBefore(created.plus(props.testModeWait()).plus(SLACK));
  }

  @Test
  void aCustomersTimersKeepTheirDrawnDueDates() {
    String profileId = profile(false);

    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String instanceId = enter(profileId);
    Instant after = Instant.now().plus(SLACK);

    Map<String, Instant> due = dueDates(instanceId);
    assertThat(due).containsOnlyKeys(DRAWN.keySet());
    assertThat(due.get("Event_WaitDuration")).isBetween(before.plus(Duration.ofDays(3)), after.plus(Duration.ofDays(3)));
    assertThat(due.get("Event_WaitUntilDate")).isEqualTo(Instant.parse("2099-12-01T08:00:00Z"));
    // the profile has no time zone: 09:00 UTC, the next one after the entry
    assertThat(due.get("Event_WaitLocalTime")).isIn(nextNineUtc(before), nextNineUtc(after));
    assertThat(due.get("Event_LiteralDuration")).isBetween(before.plus(Duration.ofDays(5)), after.plus(Duration.ofDays(5)));
    assertThat(due.get("Event_LiteralDate")).isEqualTo(Instant.parse("2099-06-01T00:00:00Z"));
    assertThat(due.get("Event_WaitsExpression")).isBetween(before.plus(Duration.ofDays(2)), after.plus(Duration.ofDays(2)));
    assertThat(due.get("Event_ReplyTimeout")).isBetween(before.plus(Duration.ofHours(6)), after.plus(Duration.ofHours(6)));
    assertThat(due.get("Event_ReplyNudge")).isBetween(before.plus(Duration.ofHours(12)), after.plus(Duration.ofHours(12)));
    assertThat(due.get("StartEvent_DayPassed")).isBetween(before.plus(Duration.ofDays(1)), after.plus(Duration.ofDays(1)));
  }

  @Test
  void aWaitBehindAnEventBasedGatewayIsComputedForCustomersAndShortenedForTestProfiles() {
    key = TestJourneys.deploy(repository, "wait-behind-gateway.bpmn", "wait-behind-gateway");
    management.updateJobDefinitionSuspensionState().byProcessDefinitionKey(key).suspend();

    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String customerRun = enter(profile(false));
    String testRun = enter(profile(true));
    Instant after = Instant.now().plus(SLACK);

    assertThat(dueDates(customerRun).get("Event_WaitBehindGateway")).isBetween(before.plus(Duration.ofDays(4)),
        after.plus(Duration.ofDays(4)));
    assertThat(dueDates(testRun).get("Event_WaitBehindGateway")).isBetween(before, after.plus(props.testModeWait()));
  }

  private String profile(boolean test) {
    Map<String, Object> attributes = new HashMap<>(Map.of("firstName", "Tess"));
    if (test) {
      attributes.put("testProfile", true);
    }
    return api().body(Map.of("identities", Map.of("email", uniqueEmail("timers")), "attributes", attributes))
        .post("/api/profiles").then().statusCode(201).extract().path("id");
  }

  private String enter(String profileId) {
    api().header("Idempotency-Key", UUID.randomUUID().toString()).body(Map.of("profileId", profileId))
        .post("/api/journeys/{key}/entries", key).then().statusCode(201);
    return jdbc.sql("SELECT process_instance_id FROM journey_entry WHERE journey_key = ? AND profile_id = ?")
        .params(key, profileId).query(String.class).single();
  }

  /** The instance's timers by the element they belong to. */
  private Map<String, Instant> dueDates(String instanceId) {
    Map<String, String> activityOf = new HashMap<>();
    for (JobDefinition d : management.createJobDefinitionQuery().processDefinitionKey(key).list()) {
      activityOf.put(d.getId(), d.getActivityId());
    }
    Map<String, Instant> due = new HashMap<>();
    List<Job> timers = management.createJobQuery().processInstanceId(instanceId).timers().list();
    timers.forEach(job -> due.put(activityOf.get(job.getJobDefinitionId()), job.getDuedate().toInstant()));
    assertThat(due).as("one timer per element").hasSize(timers.size());
    return due;
  }

  private Job timerAt(String instanceId, String activityId) {
    return management.createJobQuery().processInstanceId(instanceId).activityId(activityId).timers().singleResult();
  }

  private static Instant nextNineUtc(Instant from) {
    ZonedDateTime nine = from.atZone(ZoneOffset.UTC).with(LocalTime.of(9, 0));
    return (nine.toInstant().isAfter(from) ? nine : nine.plusDays(1)).toInstant();
  }
}
