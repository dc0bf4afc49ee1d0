package dev.overture.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.profile.Profiles;
import dev.overture.segment.Segments;
import dev.overture.support.AppTestBase;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Audience enrollment into src/test/resources/bpmn/audience-wait.bpmn (check consent, then a
 * three-day timer) over the REST API, with the test chunk size of 20 profiles.
 */
class EnrollmentApiTest extends AppTestBase {

  private static final String JOURNEY = "audience-wait";

  @Autowired Profiles profiles;
  @Autowired Consents consents;
  @Autowired Segments segments;
  @Autowired RuntimeService runtime;
  @Autowired JdbcClient jdbc;
  @Autowired Enrollments enrollments;

  private final String cohort = "e" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void enrollsEveryMemberExactlyOnceAndReportsProgress() {
    List<String> gold = profiles(45, Map.of("tier", "gold"));
    profiles(10, Map.of("tier", "silver"));
    String segment = segment("cohort = \"" + cohort + "\" and tier = \"gold\"");

    String id = start(segment, Map.of("variables", Map.of("campaign", "spring-sale")));
    JsonPath done = awaitStatus(id, "completed");

    assertThat(done.getLong("enrolled")).isEqualTo(45);
    // tier has an indexed column: SQL selects exactly the gold profiles, so those are all there is to evaluate
    assertThat(done.getLong("total")).isEqualTo(45);
    assertThat(done.getLong("scanned")).isEqualTo(45);
    assertThat(done.getLong("skipped") + done.getLong("failed") + done.getLong("undecided")).isZero();
    assertThat(done.getDouble("rate")).isPositive();
    assertThat(done.getLong("etaSeconds")).isZero();
    for (String profileId : gold) {
      assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(JOURNEY).processInstanceBusinessKey(profileId)
          .activityIdIn("Event_WaitThreeDays").variableValueEquals("campaign", "spring-sale").count())
          .as("one waiting journey for %s", profileId).isEqualTo(1);
    }
    assertThat(jdbc.sql("SELECT COUNT(*) FROM journey_entry WHERE journey_key = ? AND profile_id IN (" + in(gold) + ")")
        .param(JOURNEY).params(gold).query(Long.class).single()).isEqualTo(45);
    // every runtime variable costs about a kilobyte per waiting journey: the entry's id stays in journey_entry
    String instance = runtime.createProcessInstanceQuery().processDefinitionKey(JOURNEY)
        .processInstanceBusinessKey(gold.get(0)).singleResult().getId();
    assertThat(runtime.getVariables(instance).keySet()).containsExactly("campaign");
  }

  @Test
  void skipsMembersWithoutConsentAndMembersAlreadyInTheJourney() {
    List<String> members = profiles(30, Map.of());
    members.subList(0, 20).forEach(id -> consents.record(id, Channel.EMAIL, Purpose.MARKETING, true, "test", "test"));
    String alreadyIn = members.get(0);
    runtime.startProcessInstanceByKey(JOURNEY, alreadyIn, Map.of("profileId", alreadyIn));
    String segment = segment("cohort = \"" + cohort + "\"");

    String id = start(segment, Map.of("requireConsent", Map.of("channel", "email", "purpose", "marketing")));
    JsonPath done = awaitStatus(id, "completed");

    assertThat(done.getLong("enrolled")).isEqualTo(19);
    assertThat(done.getLong("skipped")).isEqualTo(11);
    assertThat(done.getMap("skippedReasons")).containsEntry("no-consent", 10).containsEntry("already-in-journey", 1);
    assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(alreadyIn).count()).isEqualTo(1);
    assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(members.get(25)).count()).isZero();
  }

  @Test
  void aCustomerWhoseMergedAwayProfileIsInTheJourneyIsNotEnrolledAgain() {
    List<String> two = profiles(2, Map.of());
    String younger = two.get(1);
    runtime.startProcessInstanceByKey(JOURNEY, younger, Map.of("profileId", younger));
    assertThat(profiles.merge(two.get(0), younger, "test: one customer")).as("the older survives").isEqualTo(two.get(0));
    String segment = segment("cohort = \"" + cohort + "\"");

    JsonPath done = awaitStatus(start(segment, Map.of()), "completed");

    assertThat(done.getLong("enrolled")).isZero();
    assertThat(done.getMap("skippedReasons")).containsEntry("already-in-journey", 1);
    assertThat(two.stream().mapToLong(id -> runtime.createProcessInstanceQuery().processDefinitionKey(JOURNEY)
        .processInstanceBusinessKey(id).count()).sum()).as("the one instance, under the merged-away id").isEqualTo(1);
  }

  @Test
  void profilesWhoseEvaluationFailsAreNotMembersAndTheEnrollmentGoesOn() {
    profiles(5, Map.of("age", 40));
    profiles(3, Map.of("age", "forty"));
    profiles(2, Map.of());
    String segment = segment("cohort = \"" + cohort + "\" and age > 30");

    JsonPath done = awaitStatus(start(segment, Map.of()), "completed");

    assertThat(done.getLong("enrolled")).isEqualTo(5);
    assertThat(done.getLong("undecided")).isEqualTo(5);
    assertThat(jdbc.sql("SELECT detail FROM enrollment_member WHERE enrollment_id = ? AND outcome = 'undecided'")
        .param(done.getString("id")).query(String.class).list())
        .hasSize(5).anySatisfy(why -> assertThat(why).contains("forty")).anySatisfy(why -> assertThat(why).contains("age"));
  }

  @Test
  void membersWhoseJourneyCannotStartAreRecordedAsFailedWithoutHalfWrittenEntries() {
    List<String> members = profiles(25, Map.of());
    String segment = segment("cohort = \"" + cohort + "\"");

    // segment-branch needs testSegmentKey; without it every start fails in its first step
    String id = api().body(Map.of("segmentKey", segment)).post("/api/journeys/{key}/enrollments", "segment-branch")
        .then().statusCode(202).extract().path("id");
    JsonPath done = awaitStatus(id, "completed");

    assertThat(done.getLong("failed")).isEqualTo(25);
    assertThat(done.getLong("enrolled")).isZero();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM journey_entry WHERE profile_id IN (" + in(members) + ")")
        .params(members).query(Long.class).single()).isZero();
    assertThat(jdbc.sql("SELECT DISTINCT detail FROM enrollment_member WHERE enrollment_id = ?").param(id)
        .query(String.class).list()).singleElement().asString().contains("testSegmentKey");
  }

  @Test
  void pausedEnrollmentKeepsItsSegmentVersionWhenTheSegmentChangesAndResumes() {
    List<String> gold = profiles(200, Map.of("tier", "gold"));
    String segment = segment("cohort = \"" + cohort + "\"");

    // started through the facade, so the pause follows within milliseconds, long before 10 chunks are done
    String id = enrollments.start(JOURNEY, segment, Map.of(), null, "test").id();
    api().post("/api/enrollments/{id}/pause", id).then().statusCode(200).body("status", equalTo("paused"));
    long enrolledAtPause = progress(id).getLong("enrolled");
    api().body(Map.of("name", "narrower", "expression", "cohort = \"" + cohort + "\" and tier = \"platinum\""))
        .put("/api/segments/{key}", segment).then().statusCode(200).body("version", equalTo(2));

    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
        .until(() -> progress(id).getLong("enrolled") == enrolledAtPause);
    assertThat(enrolledAtPause).isLessThan(200);

    api().post("/api/enrollments/{id}/resume", id).then().statusCode(200).body("status", equalTo("running"));
    JsonPath done = awaitStatus(id, "completed");

    assertThat(done.getInt("segmentVersion")).isEqualTo(1);
    assertThat(done.getLong("enrolled")).isEqualTo(200);
    assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(JOURNEY).processInstanceBusinessKey(gold.get(199)).count())
        .isEqualTo(1);
  }

  @Test
  void cancelledEnrollmentEnrollsNobodyMore() {
    profiles(200, Map.of());
    String segment = segment("cohort = \"" + cohort + "\"");

    String id = enrollments.start(JOURNEY, segment, Map.of(), null, "test").id();
    api().post("/api/enrollments/{id}/cancel", id).then().statusCode(200).body("status", equalTo("cancelled"));
    long enrolled = progress(id).getLong("enrolled");

    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> progress(id).getLong("enrolled") == enrolled);
    assertThat(enrolled).isLessThan(200);
    api().post("/api/enrollments/{id}/resume", id).then().statusCode(409)
        .body("type", equalTo("https://overture.dev/problems/enrollment-state"));
  }

  @Test
  void unknownJourneySegmentOrEnrollmentIs404AndABadConsentChannel400() {
    String segment = segment("cohort = \"" + cohort + "\"");
    api().body(Map.of("segmentKey", segment)).post("/api/journeys/{key}/enrollments", "no-such-journey")
        .then().statusCode(404).body("type", equalTo("https://overture.dev/problems/journey-not-found"));
    api().body(Map.of("segmentKey", "no-such-segment")).post("/api/journeys/{key}/enrollments", JOURNEY)
        .then().statusCode(404).body("type", equalTo("https://overture.dev/problems/segment-not-found"));
    api().body(Map.of("segmentKey", segment, "requireConsent", Map.of("channel", "pigeon", "purpose", "marketing")))
        .post("/api/journeys/{key}/enrollments", JOURNEY).then().statusCode(400);
    api().get("/api/enrollments/{id}", UUID.randomUUID().toString()).then().statusCode(404);
  }

  private List<String> profiles(int n, Map<String, Object> attributes) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> attrs = new HashMap<>(attributes);
      attrs.put("cohort", cohort);
      ids.add(profiles.upsert(Map.of("email", uniqueEmail("enr")), attrs).profile().id());
    }
    return ids;
  }

  private String segment(String expression) {
    String key = "aud-" + UUID.randomUUID().toString().substring(0, 8);
    segments.define(key, "Audience", expression);
    return key;
  }

  private String start(String segmentKey, Map<String, Object> extra) {
    Map<String, Object> body = new HashMap<>(extra);
    body.put("segmentKey", segmentKey);
    return api().body(body).post("/api/journeys/{key}/enrollments", JOURNEY)
        .then().statusCode(202).body("status", equalTo("running")).extract().path("id");
  }

  private JsonPath progress(String id) {
    return api().get("/api/enrollments/{id}", id).then().statusCode(200).extract().jsonPath();
  }

  private JsonPath awaitStatus(String id, String status) {
    await().atMost(Duration.ofSeconds(60)).until(() -> progress(id).getString("status").equals(status));
    return progress(id);
  }

  private static String in(List<String> ids) {
    return String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
  }
}
