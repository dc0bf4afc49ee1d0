package dev.overture.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.enrollment.Enrollment;
import dev.overture.enrollment.Enrollments;
import dev.overture.journey.Journeys;
import dev.overture.profile.Profiles;
import dev.overture.segment.Segments;
import dev.overture.support.StandaloneApps;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The default set-up (no DB_URL: embedded MariaDB with its data under a directory of ours), stopped and started
 * again over the same data: an entry made before the restart still waits at the two-day timer after it, and an
 * enrollment stopped in the middle finishes from its cursor, every member entering exactly once. One stop and start
 * serves both, as an operator's restart would.
 */
@Tag(StandaloneApps.TAG)
class RestartTest {

  private static final Path DIR = Path.of("target", "restart-test");
  private static final int AUDIENCE = 300;
  private static final String[] SMALL_CHUNKS = {"--overture.enrollment.chunk-size=10", "--overture.enrollment.poll-interval=200ms"};

  @Test
  void entriesWaitAtTheTimerAndAnEnrollmentResumesWithoutDuplicatesAcrossARestart() throws IOException {
    StandaloneApps.deleteRecursively(DIR);
    String profileId;
    String instanceId;
    String enrollmentId;
    long enrolledBeforeStop;
    try (ConfigurableApplicationContext app = StandaloneApps.start(DIR, SMALL_CHUNKS)) {
      Profiles profiles = app.getBean(Profiles.class);
      profileId = profiles.upsert(Map.of("email", "restart@example.com"), Map.of("firstName", "Rita")).profile().id();
      app.getBean(Consents.class).record(profileId, Channel.EMAIL, Purpose.MARKETING, true, "test", "test");
      instanceId = app.getBean(Journeys.class).enter("welcome", profileId, Map.of(), "restart-1").entry().processInstanceId();
      RuntimeService runtime = app.getBean(RuntimeService.class);
      await().atMost(Duration.ofSeconds(60)).until(() ->
          runtime.createProcessInstanceQuery().processInstanceId(instanceId).activityIdIn("Gateway_PurchaseOrTimeout").count() == 1);

      for (int i = 0; i < AUDIENCE; i++) {
        profiles.upsert(Map.of("email", "restart-" + i + "@example.com"), Map.of("cohort", "restart"));
      }
      app.getBean(Segments.class).define("restart-audience", "Restart audience", "cohort = \"restart\"");
      Enrollments enrollments = app.getBean(Enrollments.class);
      enrollmentId = enrollments.start("audience-wait", "restart-audience", Map.of(), null, "test").id();
      String id = enrollmentId;
      await().atMost(Duration.ofSeconds(60)).until(() -> enrollments.require(id).enrolled() >= 40);
      enrolledBeforeStop = enrollments.require(id).enrolled();
    }
    assertThat(DIR.resolve("mariadb").resolve("data")).isDirectory();
    assertThat(enrolledBeforeStop).as("stopped mid-way").isLessThan(AUDIENCE - 20);

    try (ConfigurableApplicationContext app = StandaloneApps.start(DIR, SMALL_CHUNKS)) {
      RuntimeService runtime = app.getBean(RuntimeService.class);
      assertThat(runtime.createProcessInstanceQuery().processInstanceId(instanceId).processInstanceBusinessKey(profileId)
          .activityIdIn("Gateway_PurchaseOrTimeout").count()).isEqualTo(1);
      assertThat(app.getBean(ManagementService.class).createJobQuery().processInstanceId(instanceId).timers().count())
          .as("the two-day timer is still scheduled").isEqualTo(1);
      assertThat(app.getBean(Journeys.class).enter("welcome", profileId, Map.of(), "restart-1").replayed())
          .as("the idempotency key survived too").isTrue();

      Enrollments enrollments = app.getBean(Enrollments.class);
      String id = enrollmentId;
      await().atMost(Duration.ofSeconds(120)).until(() -> enrollments.require(id).status().equals(Enrollment.COMPLETED));
      Enrollment done = enrollments.require(id);
      assertThat(done.enrolled()).isEqualTo(AUDIENCE);
      assertThat(done.scanned()).as("nobody evaluated twice").isEqualTo(AUDIENCE);
      JdbcClient jdbc = app.getBean(JdbcClient.class);
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
}
