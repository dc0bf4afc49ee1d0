package dev.overture.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.enrollment.Enrollment;
import dev.overture.support.AppProcess;
import dev.overture.support.Audiences;
import dev.overture.support.StandaloneApps;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The default set-up (no DB_URL: embedded MariaDB with its data under a directory of ours), stopped and started
 * again over the same data: an entry made before the restart still waits at the two-day timer after it, and an
 * enrollment stopped in the middle finishes from its cursor, every member entering exactly once. One stop and start
 * serves both, as an operator's restart would. The app runs as a process of its own, so that its stop touches
 * nothing of the test JVM (StandaloneApps).
 */
@Tag(StandaloneApps.TAG)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(StandaloneApps.APP_PROCESSES)
class RestartTest {

  private static final Path DIR = Path.of("target", "restart-test");
  private static final int AUDIENCE = 300;
  private static final String COHORT = "restart";

  @Test
  void entriesWaitAtTheTimerAndAnEnrollmentResumesWithoutDuplicatesAcrossARestart() throws IOException {
    StandaloneApps.deleteRecursively(DIR);
    int dbPort = AppProcess.freePort();
    // no database URL: the app starts its embedded MariaDB under DIR, on a port we know so the test can look in
    String[] args = {"--overture.db.embedded-dir=" + DIR.resolve("mariadb").toAbsolutePath(),
        "--overture.db.embedded-port=" + dbPort,
        "--overture.enrollment.chunk-size=10", "--overture.enrollment.poll-interval=200ms"};
    JdbcClient jdbc = JdbcClient.create(new DriverManagerDataSource("jdbc:mariadb://127.0.0.1:" + dbPort + "/overture", "root", ""));
    String profileId;
    String instanceId;
    String enrollmentId;
    long enrolledBeforeStop;
    try (AppProcess app = AppProcess.start("restart-1", "", args)) {
      profileId = app.api().body(Map.of("identities", Map.of("email", "restart@example.com"), "attributes", Map.of("firstName", "Rita")))
          .post("/api/profiles").then().statusCode(201).extract().path("id");
      app.api().body(Map.of("purpose", "marketing", "status", "granted", "source", "test"))
          .put("/api/profiles/{id}/consents/email", profileId).then().statusCode(200);
      String entryId = enter(app, profileId).then().statusCode(201).header("Idempotent-Replayed", "false").extract().path("entryId");
      instanceId = jdbc.sql("SELECT process_instance_id FROM journey_entry WHERE id = ?").param(entryId).query(String.class).single();
      String instance = instanceId;
      await().atMost(Duration.ofSeconds(60)).until(() -> waitingAtTheGateway(jdbc, instance, null) == 1);

      Audiences.create(app, jdbc, COHORT, AUDIENCE);
      enrollmentId = Audiences.enroll(app, "audience-wait", COHORT);
      String id = enrollmentId;
      await().atMost(Duration.ofSeconds(60)).until(() -> enrolled(app, id) >= 40);
      enrolledBeforeStop = enrolled(app, id);
    }
    assertThat(DIR.resolve("mariadb").resolve("data")).isDirectory();
    assertThat(enrolledBeforeStop).as("stopped mid-way").isLessThan(AUDIENCE - 20);

    try (AppProcess app = AppProcess.start("restart-2", "", args)) {
      assertThat(waitingAtTheGateway(jdbc, instanceId, profileId)).isEqualTo(1);
      assertThat(jdbc.sql("SELECT COUNT(*) FROM ACT_RU_JOB WHERE PROCESS_INSTANCE_ID_ = ? AND TYPE_ = 'timer'")
          .param(instanceId).query(Long.class).single())
          .as("the two-day timer is still scheduled").isEqualTo(1);
      assertThat(enter(app, profileId).then().statusCode(201).extract().header("Idempotent-Replayed"))
          .as("the idempotency key survived too").isEqualTo("true");

      String id = enrollmentId;
      await().atMost(Duration.ofSeconds(120)).until(() -> Enrollment.COMPLETED.equals(enrollment(app, id).getString("status")));
      io.restassured.path.json.JsonPath done = enrollment(app, id);
      assertThat(done.getLong("enrolled")).isEqualTo(AUDIENCE);
      assertThat(done.getLong("scanned")).as("nobody evaluated twice").isEqualTo(AUDIENCE);
      assertThat(jdbc.sql("""
              SELECT COUNT(*) FROM ACT_RU_EXECUTION e JOIN ACT_RE_PROCDEF d ON e.PROC_DEF_ID_ = d.ID_
              WHERE e.ID_ = e.PROC_INST_ID_ AND d.KEY_ = 'audience-wait'""").query(Long.class).single())
          .as("one journey per member").isEqualTo(AUDIENCE);
      assertThat(jdbc.sql("""
              SELECT COUNT(DISTINCT e.BUSINESS_KEY_) FROM ACT_RU_EXECUTION e JOIN ACT_RE_PROCDEF d ON e.PROC_DEF_ID_ = d.ID_
              WHERE e.ID_ = e.PROC_INST_ID_ AND d.KEY_ = 'audience-wait'""").query(Long.class).single())
          .as("no member twice").isEqualTo(AUDIENCE);
      assertThat(jdbc.sql("SELECT COUNT(*) FROM journey_entry WHERE journey_key = 'audience-wait'").query(Long.class).single())
          .isEqualTo(AUDIENCE);
    }
  }

  private static io.restassured.response.Response enter(AppProcess app, String profileId) {
    return app.api().header("Idempotency-Key", "restart-1").body(Map.of("profileId", profileId, "variables", Map.of()))
        .post("/api/journeys/welcome/entries");
  }

  /** 1 when the instance waits at the welcome journey's gateway (with that business key, when one is given), as the engine's query counts. */
  private static long waitingAtTheGateway(JdbcClient jdbc, String instanceId, String businessKey) {
    return jdbc.sql("""
            SELECT COUNT(DISTINCT i.ID_) FROM ACT_RU_EXECUTION e JOIN ACT_RU_EXECUTION i ON e.PROC_INST_ID_ = i.ID_
            WHERE i.ID_ = ? AND e.ACT_ID_ = 'Gateway_PurchaseOrTimeout' AND (? IS NULL OR i.BUSINESS_KEY_ = ?)""")
        .params(instanceId, businessKey, businessKey).query(Long.class).single();
  }

  private static io.restassured.path.json.JsonPath enrollment(AppProcess app, String id) {
    return app.api().get("/api/enrollments/{id}", id).then().statusCode(200).extract().jsonPath();
  }

  private static long enrolled(AppProcess app, String id) {
    return enrollment(app, id).getLong("enrolled");
  }
}
