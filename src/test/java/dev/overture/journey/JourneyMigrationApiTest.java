package dev.overture.journey;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.overture.platform.ApiKeys;
import dev.overture.support.AppTestBase;
import dev.overture.support.MigratingJourney;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Migrating a journey's waiting customers over the REST API: the dry run counts them per source element and names
 * those that would fail, moving nothing; the migration runs as a Camunda batch whose progress the API reads; the
 * journey log then counts them under the new version (running, waiting, the step added after the wait), and the
 * right, the live-version rule and bad requests answer as problems.
 */
class JourneyMigrationApiTest extends AppTestBase {

  private static final int CUSTOMERS = 6;

  @Autowired RepositoryService repository;
  @Autowired RuntimeService runtime;
  @Autowired ManagementService management;
  @Autowired JdbcClient jdbc;
  @Autowired ApiKeys keys;
  @Autowired JourneyMigrations migrations;
  @Autowired org.springframework.transaction.support.TransactionTemplate tx;

  private MigratingJourney journey;
  private final List<String> instances = new ArrayList<>();

  @BeforeEach
  void customersWaitInVersionOne() {
    journey = MigratingJourney.named("migrating");
    deploy(journey.waits());
    for (int i = 0; i < CUSTOMERS; i++) {
      String profileId = createProfile(uniqueEmail("migrating"), "M" + i);
      api().body(Map.of("profileId", profileId)).post("/api/journeys/{key}/entries", journey.key()).then().statusCode(201);
      instances.add(runtime.createProcessInstanceQuery().processDefinitionKey(journey.key()).processInstanceBusinessKey(profileId)
          .singleResult().getId());
    }
  }

  @Test
  void aDryRunCountsTheWaitingPerElementAndNamesWhoWouldFailWithoutMovingAnyone() {
    deploy(journey.renamesTheWait());

    JsonPath unmapped = migrate(Map.of("fromVersion", 1, "toVersion", 2, "dryRun", true)).then().statusCode(200)
        .body("instances", equalTo(CUSTOMERS))
        .body("elements.find { it.elementId == 'Event_Wait' }.instances", equalTo(CUSTOMERS))
        .body("elements.find { it.elementId == 'Event_Wait' }.target", equalTo(null))
        .body("failures", hasSize(CUSTOMERS))
        .extract().jsonPath();
    assertThat(unmapped.getList("failures.processInstanceId", String.class)).containsExactlyInAnyOrderElementsOf(instances);
    assertThat(unmapped.getString("failures[0].reasons[0]")).contains("Event_Wait");

    migrate(Map.of("fromVersion", 1, "toVersion", 2, "dryRun", true, "mapping", Map.of(MigratingJourney.WAIT, MigratingJourney.RENAMED_WAIT)))
        .then().statusCode(200)
        .body("elements.find { it.elementId == 'Event_Wait' }.target", equalTo(MigratingJourney.RENAMED_WAIT))
        .body("instructions.find { it.source == 'Event_Wait' }.target", equalTo(MigratingJourney.RENAMED_WAIT))
        .body("failures", hasSize(0));

    assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(journey.key()).processDefinitionId(definition(1)).count())
        .as("nothing moved").isEqualTo(CUSTOMERS);
    assertThat(versionsInLog()).as("the journey log still has them on version 1").containsOnly(1);
    stats(1).body("active", equalTo(CUSTOMERS)).body("migratedOut", equalTo(0));
  }

  @Test
  void theBatchMovesEveryoneAndTheLogCountsTheAddedStepUnderTheNewVersion() {
    deploy(journey.addsAStep());

    String location = migrate(Map.of("fromVersion", 1, "toVersion", 2)).then().statusCode(202)
        .body("state", equalTo("running")).body("instances", equalTo(CUSTOMERS))
        .extract().header("Location");
    await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(api().get(location).then().statusCode(200)
        .extract().path("state")));
    api().get(location).then().body("migrated", equalTo(CUSTOMERS)).body("failed", equalTo(0)).body("remaining", equalTo(0))
        .body("startedBy", equalTo("api-key:bootstrap")).body("instructions.find { it.source == 'Event_Wait' }.target",
            equalTo(MigratingJourney.WAIT));
    assertThat(versionsInLog()).as("journey_run carries the version each instance is on").containsOnly(2);
    stats(1).body("entered", equalTo(CUSTOMERS)).body("migratedOut", equalTo(CUSTOMERS)).body("active", equalTo(0))
        .body("elements.find { it.elementId == 'Event_Wait' }.active", equalTo(0));
    stats(2).body("entered", equalTo(0)).body("migratedIn", equalTo(CUSTOMERS)).body("active", equalTo(CUSTOMERS))
        .body("elements.find { it.elementId == 'Event_Wait' }.active", equalTo(CUSTOMERS));

    for (Job timer : management.createJobQuery().processDefinitionId(definition(2)).timers().list()) {
      management.executeJob(timer.getId());
    }

    for (String instance : instances) {
      assertThat(jdbc.sql("SELECT COUNT(*) FROM outbox_message WHERE process_instance_id = ?").param(instance).query(Integer.class)
          .single()).as("the added step ran once for %s", instance).isEqualTo(1);
    }
    stats(2).body("completed", equalTo(CUSTOMERS)).body("active", equalTo(0))
        .body("elements.find { it.elementId == 'Task_SendThanks' }.completed", equalTo(CUSTOMERS))
        .body("elements.find { it.elementId == 'Event_Wait' }.completed", equalTo(CUSTOMERS))
        .body("elements.find { it.elementId == 'Event_Wait' }.active", equalTo(0));
    stats(1).body("completed", equalTo(0)).body("elements.find { it.elementId == 'Event_Wait' }.completed", equalTo(0));
    api().get("/api/journeys/{key}/results?version=2", journey.key()).then().statusCode(200)
        .body("entered", equalTo(CUSTOMERS)).body("migratedIn", equalTo(CUSTOMERS));
    assertThat(jdbc.sql("SELECT COUNT(*) FROM ACT_RU_INCIDENT WHERE PROC_DEF_ID_ IN (?, ?)").params(definition(1), definition(2))
        .query(Integer.class).single()).as("incidents").isZero();
  }

  @Test
  void onlyTheLiveVersionTakesMigrationsAndBadRequestsAreProblems() {
    deploy(journey.addsAStep());

    migrate(Map.of("fromVersion", 2, "toVersion", 1, "dryRun", true)).then().statusCode(409)
        .contentType("application/problem+json").body("type", containsString("version-not-live"));
    migrate(Map.of("fromVersion", 1, "toVersion", 7)).then().statusCode(404).body("type", containsString("journey-version"));
    migrate(Map.of("fromVersion", 1, "toVersion", 1)).then().statusCode(400).body("type", containsString("invalid-migration"));
    migrate(Map.of("toVersion", 2)).then().statusCode(400).body("detail", containsString("fromVersion"));
    migrate(Map.of("fromVersion", 1, "toVersion", 2, "mapping", Map.of("Event_Nowhere", MigratingJourney.WAIT))).then().statusCode(422)
        .contentType("application/problem+json").body("type", containsString("invalid-migration-plan"))
        .body("instructions[0].source", equalTo("Event_Nowhere"));
    api().body(Map.of("fromVersion", 1, "toVersion", 2)).post("/api/journeys/{key}/migrations", "no-such-journey").then().statusCode(404);
    api().get("/api/journeys/{key}/migrations/{id}", journey.key(), "no-such-migration").then().statusCode(404)
        .contentType("application/problem+json");
    assertThat(versionsInLog()).as("nothing moved").containsOnly(1);
  }

  @Test
  void aSecondMigrationWaitsUntilTheFirstHasCompleted() {
    deploy(journey.addsAStep());
    // the first one's batch held before any job of it runs, in the transaction that starts it
    JourneyMigrations.Migration first = tx.execute(status -> {
      JourneyMigrations.Migration started = migrations.start(journey.key(), 1, 2, null, "test");
      management.suspendBatchById(started.batchId());
      return started;
    });

    migrate(Map.of("fromVersion", 1, "toVersion", 2)).then().statusCode(409).contentType("application/problem+json")
        .body("type", containsString("migration-running")).body("migrationId", equalTo(first.id()));

    management.activateBatchById(first.batchId());
    await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(migrations.get(journey.key(), first.id()).state()));
    assertThat(versionsInLog()).containsOnly(2);
  }

  @Test
  void migratingNeedsTheJourneysRight() {
    deploy(journey.addsAStep());
    String events = keys.create("migration test " + journey.key(), List.of("events:write")).key();

    given().contentType("application/json").body(Map.of("fromVersion", 1, "toVersion", 2))
        .post("/api/journeys/{key}/migrations", journey.key()).then().statusCode(401);
    given().header("Authorization", "Bearer " + events).contentType("application/json").body(Map.of("fromVersion", 1, "toVersion", 2))
        .post("/api/journeys/{key}/migrations", journey.key()).then().statusCode(403)
        .body("detail", containsString("journeys:write"));
    given().header("Authorization", "Bearer " + events).get("/api/journeys/{key}/migrations/{id}", journey.key(), "any")
        .then().statusCode(403);
    assertThat(versionsInLog()).containsOnly(1);
  }

  private io.restassured.response.Response migrate(Map<String, Object> body) {
    return api().body(body).post("/api/journeys/{key}/migrations", journey.key());
  }

  private io.restassured.response.ValidatableResponse stats(int version) {
    return api().get("/api/journeys/{key}/stats?version={v}", journey.key(), version).then().statusCode(200);
  }

  private List<Integer> versionsInLog() {
    return jdbc.sql("SELECT version FROM journey_run WHERE journey_key = ?").param(journey.key()).query(Integer.class).list();
  }

  private String definition(int version) {
    return repository.createProcessDefinitionQuery().processDefinitionKey(journey.key()).processDefinitionVersion(version)
        .singleResult().getId();
  }

  private void deploy(String bpmn) {
    repository.createDeployment().name(journey.key()).addString(journey.key() + ".bpmn", bpmn).deploy();
  }
}
