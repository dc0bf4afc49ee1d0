package dev.overture.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.profile.Profiles;
import dev.overture.segment.Segments;
import dev.overture.support.StandaloneApps;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An app stopped in the middle of an enrollment, and started again over the same database,
 * finishes the enrollment from its cursor: every member enters exactly once.
 */
@Tag(StandaloneApps.TAG)
class EnrollmentRestartTest {

  private static final Path DIR = Path.of("target", "enrollment-restart-test");
  private static final int AUDIENCE = 300;

  @Test
  void aRestartedAppResumesTheEnrollmentWithoutDuplicates() throws IOException {
    StandaloneApps.deleteRecursively(DIR);
    String enrollmentId;
    long enrolledBeforeStop;
    try (ConfigurableApplicationContext app = StandaloneApps.start(DIR, "--overture.enrollment.chunk-size=10", "--overture.enrollment.poll-interval=200ms")) {
      Profiles profiles = app.getBean(Profiles.class);
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
    assertThat(enrolledBeforeStop).as("stopped mid-way").isLessThan(AUDIENCE - 20);

    try (ConfigurableApplicationContext app = StandaloneApps.start(DIR, "--overture.enrollment.chunk-size=10", "--overture.enrollment.poll-interval=200ms")) {
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
