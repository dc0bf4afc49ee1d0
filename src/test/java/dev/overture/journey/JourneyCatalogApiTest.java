package dev.overture.journey;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.overture.profile.Profiles;
import dev.overture.support.AppTestBase;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The journey catalog, taking a profile out of a journey and a profile's journeys, over the REST API
 * against the running app.
 */
class JourneyCatalogApiTest extends AppTestBase {

  @Autowired RepositoryService repository;
  @Autowired RuntimeService runtime;
  @Autowired JdbcClient jdbc;
  @Autowired Profiles profiles;

  @Test
  void catalogListsTheJourneysWithRuleAndGoalButNotTheApprovalProcess() {
    JsonPath catalog = api().get("/api/journeys").then().statusCode(200).extract().jsonPath();

    assertThat(catalog.getList("key", String.class)).contains("welcome", "abandoned-cart", "post-purchase", "store-visit", "winback")
        .doesNotContain("campaign-launch");
    Map<String, Object> welcome = catalog.getMap("find { it.key == 'welcome' }");
    assertThat(welcome).containsEntry("name", "Welcome series").containsEntry("state", "active")
        .containsEntry("goal", "purchase.completed").containsEntry("reentry", "not-while-active")
        .containsEntry("goalWindow", "P7D").containsEntry("goalCondition", null);
    assertThat(catalog.getMap("find { it.key == 'winback' }")).containsEntry("goal", "purchase.completed")
        .containsEntry("goalWindow", "P14D").containsEntry("reentry", "after:P90D");
    assertThat(catalog.getMap("find { it.key == 'abandoned-cart' }")).containsEntry("reentry", "always")
        .containsEntry("goal", "order.completed");
    assertThat(catalog.getMap("find { it.key == 'store-visit' }")).containsEntry("reentry", "after:P7D")
        .containsEntry("goal", null).containsEntry("goalWindow", null);
  }

  @Test
  void oneJourneyShowsItsVersionsWithTheirRunningInstances() {
    WaitingJourney journey = WaitingJourney.deploy(repository);
    String profileId = createProfile(uniqueEmail("counted"), "Carl");
    api().get("/api/journeys/{key}", journey.key()).then().statusCode(200)
        .body("latestVersion", equalTo(1)).body("versions[0].running", equalTo(0));

    api().body(Map.of("profileId", profileId)).post("/api/journeys/{key}/entries", journey.key()).then().statusCode(201);
    WaitingJourney.deploy(repository, journey);

    api().get("/api/journeys/{key}", journey.key()).then().statusCode(200)
        .body("key", equalTo(journey.key()))
        .body("name", equalTo("Waiting journey"))
        .body("latestVersion", equalTo(2))
        .body("versions.version", equalTo(List.of(1, 2)))
        .body("versions.running", equalTo(List.of(1, 0)))
        .body("state", equalTo("active"))
        .body("goal", nullValue());
  }

  @Test
  void apiDocumentGivesEachOperationItsRealSuccessStatusAndItsProblems() {
    JsonPath doc = given().get("/v3/api-docs").then().statusCode(200).extract().jsonPath();

    // the answers every operation shares (400, 401, 403, 500, 503) come from the contract; these are the operations' own
    assertThat(responses(doc, "/api/journeys", "get")).contains("200", "401", "403").doesNotContain("404");
    assertThat(responses(doc, "/api/journeys/{journeyKey}", "get")).contains("200", "404");
    assertThat(responses(doc, "/api/journeys/{journeyKey}/pause", "post")).contains("200", "400", "404");
    assertThat(responses(doc, "/api/journeys/{journeyKey}/resume", "post")).contains("200", "404");
    assertThat(responses(doc, "/api/journeys/{journeyKey}/profiles/{profileId}", "delete")).contains("204", "404")
        .doesNotContain("200");
    assertThat(responses(doc, "/api/profiles/{profileId}/journeys", "get")).contains("200", "404");
    assertThat(responses(doc, "/api/journeys/{journeyKey}/entries", "post")).contains("201", "409");
    assertThat(responses(doc, "/api/journeys/{journeyKey}/enrollments", "post")).contains("202", "409");
    assertThat(doc.getMap("paths.'/api/journeys/{journeyKey}'.get.responses.'404'.content"))
        .containsOnlyKeys("application/problem+json");
  }

  private static Set<String> responses(JsonPath doc, String path, String method) {
    Map<Object, Object> responses = doc.getMap("paths.'" + path + "'." + method + ".responses");
    return responses.keySet().stream().map(String::valueOf).collect(Collectors.toSet());
  }

  @Test
  void unknownJourneysAndApprovalProcessesAreNotFoundProblems() {
    api().get("/api/journeys/{key}", "no-such-journey").then().statusCode(404)
        .contentType("application/problem+json").body("type", containsString("journey-not-found"));
    api().get("/api/journeys/{key}", "campaign-launch").then().statusCode(404)
        .contentType("application/problem+json");
  }

  @Test
  void exitEndsTheProfilesInstanceWithTheReasonAndAnswersNotFoundOnceNoneRuns() {
    WaitingJourney journey = WaitingJourney.deploy(repository);
    String profileId = createProfile(uniqueEmail("leaver"), "Lea");
    api().body(Map.of("profileId", profileId)).post("/api/journeys/{key}/entries", journey.key()).then().statusCode(201);

    api().delete("/api/journeys/{key}/profiles/{id}", journey.key(), profileId).then().statusCode(204);

    List<Map<String, Object>> ended = jdbc.sql("SELECT * FROM journey_run WHERE journey_key = ? AND profile_id = ?")
        .params(journey.key(), profileId).query().listOfRows();
    assertThat(ended).singleElement().satisfies(run -> {
      assertThat(run.get("ended_at")).isNotNull();
      assertThat(run.get("end_reason")).isEqualTo("exited_by_api");
    });
    api().delete("/api/journeys/{key}/profiles/{id}", journey.key(), profileId).then().statusCode(404)
        .contentType("application/problem+json").body("type", containsString("journey-instance-not-found"));
  }

  @Test
  void exitReachesAnInstanceRunningUnderAnIdMergedIntoTheProfile() {
    WaitingJourney journey = WaitingJourney.deploy(repository);
    String survivor = createProfile(uniqueEmail("survivor"), "Sam");
    String merged = createProfile(uniqueEmail("merged"), "Max");
    api().body(Map.of("profileId", merged)).post("/api/journeys/{key}/entries", journey.key()).then().statusCode(201);
    assertThat(profiles.merge(survivor, merged, "test")).isEqualTo(survivor);

    api().get("/api/profiles/{id}/journeys", survivor).then().statusCode(200)
        .body("find { it.journeyKey == '" + journey.key() + "' }.state", equalTo("active"));
    api().delete("/api/journeys/{key}/profiles/{id}", journey.key(), survivor).then().statusCode(204);
    assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(journey.key()).count()).isZero();
  }

  @Test
  void profileJourneysShowTheCurrentStepOfRunningOnesAndHowEndedOnesEnded() {
    WaitingJourney journey = WaitingJourney.deploy(repository);
    String profileId = createProfile(uniqueEmail("stepper"), "Stella");
    api().body(Map.of("profileId", profileId)).post("/api/journeys/{key}/entries", journey.key()).then().statusCode(201);

    api().get("/api/profiles/{id}/journeys", profileId).then().statusCode(200)
        .body("size()", equalTo(1))
        .body("[0].journeyKey", equalTo(journey.key()))
        .body("[0].version", equalTo(1))
        .body("[0].state", equalTo("active"))
        .body("[0].startedAt", not(nullValue()))
        .body("[0].endedAt", nullValue())
        .body("[0].currentSteps.activityId", hasItems(WaitingJourney.WAIT))
        .body("[0].currentSteps.name", hasItems(WaitingJourney.WAIT_NAME));

    api().delete("/api/journeys/{key}/profiles/{id}", journey.key(), profileId).then().statusCode(204);
    api().get("/api/profiles/{id}/journeys", profileId).then().statusCode(200)
        .body("[0].state", equalTo("externally_terminated"))
        .body("[0].endReason", equalTo("exited_by_api"))
        .body("[0].endedAt", not(nullValue()))
        .body("[0].currentSteps", empty());
  }

  @Test
  void journeysOfAnUnknownProfileAreANotFoundProblem() {
    api().get("/api/profiles/{id}/journeys", "00000000-0000-0000-0000-000000000000").then().statusCode(404)
        .contentType("application/problem+json");
  }

}
