package dev.overture.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.journey.WaitingJourney;
import dev.overture.segment.Segments;
import dev.overture.support.AppTestBase;
import dev.overture.support.TestClock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A journey whose {@code overture:entry-segment} names a segment: a profile enters it when a change of its attributes
 * (over REST), its consents or its events makes it a member, once per qualification, as the re-entry rule allows.
 */
class SegmentEntryTest extends AppTestBase {

  /** From the change's commit to the journey's start. */
  private static final Duration ENTERS_WITHIN = Duration.ofSeconds(5);

  @Autowired RepositoryService repository;
  @Autowired RuntimeService runtime;
  @Autowired JdbcClient jdbc;
  @Autowired Segments segments;
  @Autowired TestClock clock;

  private String cohort;
  private String segment;
  private WaitingJourney journey;

  @BeforeEach
  void names() {
    cohort = "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    segment = "entry-" + cohort;
  }

  @AfterEach
  void removeTheJourney() {
    clock.reset();
    if (journey != null) {
      WaitingJourney.deploy(repository, journey);
    }
  }

  @Test
  void anUpdateThatMakesTheProfileQualifyEntersItOnceAndLeavingAndComingBackObeysTheReentryRule() {
    segments.define(segment, "Gold of the cohort", "tier = \"gold\" and cohort = \"" + cohort + "\"");
    journey = WaitingJourney.deploy(repository, Map.of("overture:entry-segment", segment), "");
    String email = uniqueEmail("qualify");
    String profileId = upsert(email, Map.of("cohort", cohort, "tier", "silver"));
    evaluated(profileId);
    assertThat(entries(profileId)).as("not a member: no entry").isZero();

    upsert(email, Map.of("tier", "gold"));
    await().atMost(ENTERS_WITHIN).until(() -> entries(profileId) == 1);
    assertThat(running(profileId)).as("the journey runs").isEqualTo(1);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM segment_membership WHERE segment_key = ? AND profile_id = ?")
        .params(segment, profileId).query(Integer.class).single()).as("stored as a member").isEqualTo(1);

    upsert(email, Map.of("tier", "gold", "firstName", "Still gold"));
    evaluated(profileId);
    assertThat(entries(profileId)).as("still a member: no second entry").isEqualTo(1);

    upsert(email, Map.of("tier", "silver"));
    evaluated(profileId);
    upsert(email, Map.of("tier", "gold"));
    evaluated(profileId);
    assertThat(entries(profileId)).as("back in the segment while its journey runs: the default rule refuses").isEqualTo(1);

    leaveJourney(profileId);
    upsert(email, Map.of("tier", "gold", "lastName", "Unchanged"));
    evaluated(profileId);
    assertThat(entries(profileId)).as("its journey ended, but it never left the segment since").isEqualTo(1);

    upsert(email, Map.of("tier", "silver"));
    evaluated(profileId);
    upsert(email, Map.of("tier", "gold"));
    await().atMost(ENTERS_WITHIN).until(() -> entries(profileId) == 2);
  }

  @Test
  void aCooldownRuleLetsAProfileThatQualifiesAgainInOnlyOnceItHasPassed() {
    segments.define(segment, "Gold of the cohort", "tier = \"gold\" and cohort = \"" + cohort + "\"");
    journey = WaitingJourney.deploy(repository, Map.of("overture:entry-segment", segment, "overture:reentry", "after:P7D"), "");
    String email = uniqueEmail("cooldown");
    String profileId = upsert(email, Map.of("cohort", cohort, "tier", "gold"));
    await().atMost(ENTERS_WITHIN).until(() -> entries(profileId) == 1);
    leaveJourney(profileId);

    upsert(email, Map.of("tier", "silver"));
    evaluated(profileId);
    upsert(email, Map.of("tier", "gold"));
    evaluated(profileId);
    assertThat(entries(profileId)).as("qualified again inside the cooldown").isEqualTo(1);

    clock.advance(Duration.ofDays(8));
    upsert(email, Map.of("tier", "silver"));
    evaluated(profileId);
    upsert(email, Map.of("tier", "gold"));
    await().atMost(ENTERS_WITHIN).until(() -> entries(profileId) == 2);
  }

  @Test
  void aConsentThatMakesTheProfileQualifyEntersIt() {
    segments.define(segment, "Email subscribers of the cohort", "cohort = \"" + cohort + "\" and consented(\"email\", \"marketing\")");
    journey = WaitingJourney.deploy(repository, Map.of("overture:entry-segment", segment), "");
    String profileId = upsert(uniqueEmail("consent"), Map.of("cohort", cohort));
    evaluated(profileId);
    assertThat(entries(profileId)).isZero();

    setConsent(profileId, "email", "marketing", "granted");
    await().atMost(ENTERS_WITHIN).until(() -> entries(profileId) == 1);

    api().delete("/api/profiles/{id}", profileId).then().statusCode(org.hamcrest.Matchers.oneOf(200, 204));
    assertThat(jdbc.sql("SELECT COUNT(*) FROM segment_membership WHERE profile_id = ?").param(profileId)
        .query(Integer.class).single()).as("the erasure took its membership").isZero();
  }

  @Test
  void anEventThatMakesTheProfileQualifyEntersIt() {
    String bought = cohort + ".bought";
    segments.define(segment, "Buyers of the cohort", "cohort = \"" + cohort + "\" and count(events(\"" + bought + "\")) >= 2");
    journey = WaitingJourney.deploy(repository, Map.of("overture:entry-segment", segment), "");
    String profileId = upsert(uniqueEmail("event"), Map.of("cohort", cohort));

    send(profileId, bought);
    evaluated(profileId);
    assertThat(entries(profileId)).as("one purchase is not two").isZero();
    send(profileId, bought);
    await().atMost(ENTERS_WITHIN).until(() -> entries(profileId) == 1);
  }

  @Test
  void withoutALiveJourneyThatEntersOnASegmentNoChangeLeavesAMark() {
    String profileId = upsert(uniqueEmail("unmarked"), Map.of("cohort", cohort));
    setConsent(profileId, "email", "marketing", "granted");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM segment_entry_pending WHERE profile_id = ?").param(profileId)
        .query(Integer.class).single()).isZero();
  }

  private String upsert(String email, Map<String, Object> attributes) {
    return api().body(Map.of("identities", Map.of("email", email), "attributes", attributes)).post("/api/profiles")
        .then().statusCode(org.hamcrest.Matchers.oneOf(200, 201)).extract().path("id");
  }

  private void send(String profileId, String type) {
    String eventId = UUID.randomUUID().toString();
    api().body(Map.of("eventId", eventId, "type", type, "profileId", profileId)).post("/api/events").then().statusCode(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
            "SELECT COUNT(*) FROM customer_event WHERE event_id = ? AND processed_at IS NOT NULL")
        .param(eventId).query(Integer.class).single() == 1);
  }

  /** The profile's last change has been evaluated: its mark is gone. */
  private void evaluated(String profileId) {
    await().atMost(ENTERS_WITHIN).until(() -> jdbc.sql("SELECT COUNT(*) FROM segment_entry_pending WHERE profile_id = ?")
        .param(profileId).query(Integer.class).single() == 0);
  }

  private void leaveJourney(String profileId) {
    send(profileId, journey.leaveEvent());
    await().atMost(Duration.ofSeconds(30)).until(() -> running(profileId) == 0);
  }

  private long entries(String profileId) {
    return jdbc.sql("SELECT COUNT(*) FROM journey_entry WHERE journey_key = ? AND profile_id = ?")
        .params(journey.key(), profileId).query(Long.class).single();
  }

  private long running(String profileId) {
    return runtime.createProcessInstanceQuery().processDefinitionKey(journey.key()).processInstanceBusinessKey(profileId).count();
  }
}
