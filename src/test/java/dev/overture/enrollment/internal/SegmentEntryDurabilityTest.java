package dev.overture.enrollment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.journey.WaitingJourney;
import dev.overture.segment.Segments;
import dev.overture.support.AppTestBase;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What an entry on segment qualification survives: no worker running when the change commits (a crash between the
 * commit and the evaluation), and a journey that fails to start (the mark stays, due again later).
 */
class SegmentEntryDurabilityTest extends AppTestBase {

  @Autowired RepositoryService repository;
  @Autowired JdbcClient jdbc;
  @Autowired Segments segments;
  @Autowired SegmentEntryWorker worker;

  private WaitingJourney journey;
  private String profileId;

  @AfterEach
  void removeTheJourney() {
    worker.start();
    if (journey != null) {
      WaitingJourney.deploy(repository, journey);
    }
    if (profileId != null) {
      jdbc.sql("DELETE FROM segment_entry_pending WHERE profile_id = ?").param(profileId).update();
    }
  }

  @Test
  void aChangeCommittedWhileNoWorkerRanEntersWhenOneRunsAgain() {
    String cohort = cohortWithSegment();
    journey = WaitingJourney.deploy(repository, Map.of("overture:entry-segment", "entry-" + cohort), "");
    worker.stop();
    profileId = upsert(cohort);
    assertThat(mark()).as("the mark committed with the change").isEqualTo(1);
    assertThat(entries()).isZero();

    worker.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> entries() == 1);
    assertThat(mark()).isZero();
  }

  @Test
  void aJourneyThatFailsToStartKeepsTheMarkForLater() {
    String cohort = cohortWithSegment();
    journey = WaitingJourney.deploy(repository, Map.of("overture:entry-segment", "entry-" + cohort),
        "<bpmn:extensionElements><camunda:executionListener event=\"start\" expression=\"${noSuchBean.fail()}\" />"
            + "</bpmn:extensionElements>");
    profileId = upsert(cohort);
    await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
            "SELECT COUNT(*) FROM segment_entry_pending WHERE profile_id = ? AND attempts >= 1 AND last_error IS NOT NULL")
        .param(profileId).query(Integer.class).single() == 1);
    assertThat(entries()).isZero();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM segment_membership WHERE profile_id = ?").param(profileId)
        .query(Integer.class).single()).as("the membership rolled back with the failed start").isZero();
  }

  private String cohortWithSegment() {
    String cohort = "d" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    segments.define("entry-" + cohort, "Gold of the cohort", "tier = \"gold\" and cohort = \"" + cohort + "\"");
    return cohort;
  }

  private String upsert(String cohort) {
    return api().body(Map.of("identities", Map.of("email", uniqueEmail("durable")),
            "attributes", Map.of("cohort", cohort, "tier", "gold")))
        .post("/api/profiles").then().statusCode(201).extract().path("id");
  }

  private int mark() {
    return jdbc.sql("SELECT COUNT(*) FROM segment_entry_pending WHERE profile_id = ?").param(profileId)
        .query(Integer.class).single();
  }

  private long entries() {
    return jdbc.sql("SELECT COUNT(*) FROM journey_entry WHERE journey_key = ?").param(journey.key()).query(Long.class).single();
  }
}
