package dev.overture.journey;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.overture.support.AppProcess;
import dev.overture.support.AppTestBase;
import dev.overture.support.Audiences;
import dev.overture.support.MigratingJourney;
import dev.overture.support.ProcessTestDatabase;
import dev.overture.support.StandaloneApps;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two app processes on one database, as two replicas run: 300 customers enrolled through both wait in version 1 of
 * a journey, each node remembering the version of the instances it started; they are migrated to a version 2 that
 * adds a step after the wait, and the waits end on whichever node acquires their timers. Each customer gets the new
 * step once, the journey log counts every step under the version it ran in on both nodes (nothing after the wait
 * lands on version 1), the stats of both versions add up to what ran, and no incident is left.
 */
@Tag(StandaloneApps.TAG)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(StandaloneApps.APP_PROCESSES)
class JourneyMigrationTwoNodesTest {

  private static final int CUSTOMERS = 300;
  private static final String COHORT = "migration-two-nodes";

  private static JdbcClient jdbc;
  private static AppProcess a;
  private static CompletableFuture<AppProcess> b;

  @BeforeAll
  static void twoNodes() {
    String url = ProcessTestDatabase.url();
    jdbc = ProcessTestDatabase.jdbc();
    // versions go live as they are deployed: what is tested is the move of running customers, not the review before it
    String[] small = {"--overture.enrollment.chunk-size=25", "--overture.enrollment.poll-interval=200ms",
        "--overture.journeys.auto-approve=true"};
    a = AppProcess.start("migration-a", url, small);
    b = CompletableFuture.supplyAsync(() -> AppProcess.start("migration-b", url, small));
  }

  @AfterAll
  static void stopNodes() {
    try {
      if (b != null) {
        b.join().close();
      }
    } finally {
      if (a != null) {
        a.close();
      }
    }
  }

  @Test
  void customersWaitingInVersionOneOnTwoNodesMoveToVersionTwoAndEachGetsTheNewStepOnce() {
    MigratingJourney journey = MigratingJourney.named("migration-nodes");
    deploy(a, journey, journey.waits());
    Audiences.create(a, jdbc, COHORT, CUSTOMERS);
    AppProcess nodeB = b.join();
    String enrollment = Audiences.enroll(a, journey.key(), COHORT);
    await().atMost(Duration.ofSeconds(120)).until(() -> "completed".equals(
        nodeB.api().get("/api/enrollments/{id}", enrollment).then().statusCode(200).extract().path("status")));
    await().atMost(Duration.ofSeconds(30)).until(() -> waitingAt(journey, 1), equalTo((long) CUSTOMERS));

    deploy(nodeB, journey, journey.addsAStep());
    nodeB.api().body(Map.of("fromVersion", 1, "toVersion", 2, "dryRun", true)).post("/api/journeys/{key}/migrations", journey.key())
        .then().statusCode(200).body("instances", equalTo(CUSTOMERS))
        .body("elements.find { it.elementId == 'Event_Wait' }.instances", equalTo(CUSTOMERS))
        .body("failures.size()", equalTo(0));
    assertThat(waitingAt(journey, 1)).as("the dry run moved nobody").isEqualTo(CUSTOMERS);

    String location = a.api().body(Map.of("fromVersion", 1, "toVersion", 2)).post("/api/journeys/{key}/migrations", journey.key())
        .then().statusCode(202).extract().header("Location");
    await().atMost(Duration.ofSeconds(120)).until(() -> "completed".equals(
        nodeB.api().get(location).then().statusCode(200).extract().path("state")));
    a.api().get(location).then().body("migrated", equalTo(CUSTOMERS)).body("failed", equalTo(0));
    assertThat(waitingAt(journey, 2)).isEqualTo(CUSTOMERS);

    // the three days are over: both nodes' job executors take the timers
    jdbc.sql("UPDATE ACT_RU_JOB SET DUEDATE_ = NOW() - INTERVAL 1 SECOND WHERE PROCESS_DEF_KEY_ = ? AND TYPE_ = 'timer'")
        .param(journey.key()).update();
    await().atMost(Duration.ofSeconds(180)).until(() -> jdbc.sql(
        "SELECT COUNT(*) FROM journey_run WHERE journey_key = ? AND ended_at IS NOT NULL").param(journey.key()).query(Long.class).single(),
        equalTo((long) CUSTOMERS));

    List<Map<String, Object>> sends = jdbc.sql("""
            SELECT r.instance_id, COUNT(o.id) AS sends FROM journey_run r
            LEFT JOIN outbox_message o ON o.process_instance_id = r.instance_id
            WHERE r.journey_key = ? GROUP BY r.instance_id""").param(journey.key()).query().listOfRows();
    assertThat(sends).as("every customer").hasSize(CUSTOMERS)
        .allSatisfy(row -> assertThat(((Number) row.get("sends")).intValue()).as("new step of %s", row.get("instance_id")).isEqualTo(1));
    assertThat(jdbc.sql("SELECT DISTINCT CONCAT(version, '<-', COALESCE(migrated_from, 0)) FROM journey_run WHERE journey_key = ?")
        .param(journey.key()).query(String.class).list()).as("every run on version 2, from 1").containsExactly("2<-1");

    stats(nodeB, journey, 1).body("entered", equalTo(CUSTOMERS)).body("migratedOut", equalTo(CUSTOMERS))
        .body("active", equalTo(0)).body("completed", equalTo(0))
        .body("elements.find { it.elementId == 'Event_Wait' }.entered", equalTo(CUSTOMERS))
        .body("elements.find { it.elementId == 'Event_Wait' }.migratedOut", equalTo(CUSTOMERS))
        .body("elements.find { it.elementId == 'Event_Wait' }.completed", equalTo(0))
        .body("elements.find { it.elementId == 'EndEvent_Done' }.entered", equalTo(0));
    stats(a, journey, 2).body("entered", equalTo(0)).body("migratedIn", equalTo(CUSTOMERS))
        .body("active", equalTo(0)).body("completed", equalTo(CUSTOMERS))
        .body("elements.find { it.elementId == 'Event_Wait' }.migratedIn", equalTo(CUSTOMERS))
        .body("elements.find { it.elementId == 'Event_Wait' }.completed", equalTo(CUSTOMERS))
        .body("elements.find { it.elementId == 'Task_SendThanks' }.entered", equalTo(CUSTOMERS))
        .body("elements.find { it.elementId == 'Task_SendThanks' }.completed", equalTo(CUSTOMERS))
        .body("elements.find { it.elementId == 'EndEvent_Done' }.completed", equalTo(CUSTOMERS));
    stats(a, journey, null).body("entered", equalTo(CUSTOMERS)).body("completed", equalTo(CUSTOMERS)).body("active", equalTo(0));
    a.api().get("/api/journeys/{key}/results?version=2", journey.key()).then().statusCode(200)
        .body("entered", equalTo(CUSTOMERS)).body("migratedIn", equalTo(CUSTOMERS));
    assertThat(jdbc.sql("SELECT COUNT(*) FROM ACT_RU_INCIDENT").query(Long.class).single()).as("incidents").isZero();
  }

  private static ValidatableResponse stats(AppProcess node, MigratingJourney journey, Integer version) {
    return (version == null ? node.api().get("/api/journeys/{key}/stats", journey.key())
        : node.api().get("/api/journeys/{key}/stats?version={v}", journey.key(), version)).then().statusCode(200);
  }

  private static long waitingAt(MigratingJourney journey, int version) {
    return jdbc.sql("""
            SELECT COUNT(*) FROM ACT_RU_EXECUTION e JOIN ACT_RE_PROCDEF d ON e.PROC_DEF_ID_ = d.ID_
            WHERE d.KEY_ = ? AND d.VERSION_ = ? AND e.ACT_ID_ = ?""")
        .params(journey.key(), version, MigratingJourney.WAIT).query(Long.class).single();
  }

  /** As Camunda Modeler deploys: multipart to the engine's REST API, as a user of camunda-admin. */
  private static void deploy(AppProcess node, MigratingJourney journey, String bpmn) {
    given().port(node.port()).auth().preemptive().basic(AppTestBase.ADMIN, AppTestBase.ADMIN_PASSWORD)
        .multiPart("deployment-name", journey.key())
        .multiPart("data", journey.key() + ".bpmn", bpmn.getBytes(StandardCharsets.UTF_8), "application/octet-stream")
        .post("/engine-rest/deployment/create").then().statusCode(200);
  }
}
