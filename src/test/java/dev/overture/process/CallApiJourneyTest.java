package dev.overture.process;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.overture.support.AppTestBase;
import dev.overture.support.JourneyRuns;
import dev.overture.support.TestHttpProviders;
import dev.overture.support.TestJourneys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * "Call an API" in a running app against a loyalty API on WireMock: the answer's tier routes the next gateway, a 503
 * or a 429 is tried again (after its Retry-After), a call that keeps failing takes the api-call-failed boundary event,
 * and an endpoint outside the allow-list is refused when the journey is deployed.
 */
class CallApiJourneyTest extends AppTestBase {

  @Autowired RepositoryService repository;
  @Autowired RuntimeService runtime;
  @Autowired JdbcClient jdbc;

  private final WireMockServer loyalty = TestHttpProviders.server();

  @Test
  void routesOnTheTierTheLoyaltyApiAnswered() {
    String key = deploy("loyalty");
    String profileId = createProfile(uniqueEmail("gold"), "Ann \"Goldie\"");
    loyalty.stubFor(post(urlEqualTo(tierPath(profileId))).willReturn(json(200,
        "{\"tier\":\"gold\",\"balance\":{\"points\":1200},\"memberSince\":null}")));

    String instanceId = enter(key, profileId);

    await().atMost(Duration.ofSeconds(30)).until(() -> isWaitingAt(instanceId, "Event_GoldWait"));
    assertThat(runtime.getVariables(instanceId, List.of("tier", "points", "since")))
        .containsEntry("tier", "gold").containsEntry("points", 1200L).containsEntry("since", null);
    loyalty.verify(postRequestedFor(urlEqualTo(tierPath(profileId)))
        .withHeader("Authorization", equalTo("Bearer " + LOYALTY_SECRET))
        .withHeader("Idempotency-Key", matching(".+"))
        .withRequestBody(equalToJson("{\"member\":\"" + profileId + "\",\"name\":\"Ann \\\"Goldie\\\"\"}")));
  }

  @Test
  void aMemberWithAnotherTierTakesTheDefaultFlow() {
    Ended walk = walkToTheEnd("silver", json(200, "{\"tier\":\"silver\"}"));

    assertThat(walk.endElement()).isEqualTo("EndEvent_Standard");
  }

  @Test
  void aServiceUnavailableIsTriedAgainAndThenRoutes() {
    String key = deploy("loyalty");
    String profileId = createProfile(uniqueEmail("retry"), "Rita");
    firstThenGold(profileId, json(503, "{\"error\":\"maintenance\"}"));

    String instanceId = enter(key, profileId);

    await().atMost(Duration.ofSeconds(30)).until(() -> isWaitingAt(instanceId, "Event_GoldWait"));
    assertThat(loyalty.findAll(postRequestedFor(urlEqualTo(tierPath(profileId))))).hasSize(2);
  }

  @Test
  void aTooManyRequestsIsTriedAgainAfterItsRetryAfter() {
    String key = deploy("loyalty");
    String profileId = createProfile(uniqueEmail("throttled"), "Theo");
    firstThenGold(profileId, json(429, "{}").withHeader("Retry-After", "2"));

    String instanceId = enter(key, profileId);

    await().atMost(Duration.ofSeconds(30)).until(() -> isWaitingAt(instanceId, "Event_GoldWait"));
    List<LoggedRequest> calls = loyalty.findAll(postRequestedFor(urlEqualTo(tierPath(profileId))));
    assertThat(calls).hasSize(2);
    assertThat(Duration.between(calls.get(0).getLoggedDate().toInstant(), calls.get(1).getLoggedDate().toInstant()))
        .as("the second try waited for Retry-After (2 s), not the backoff (100 ms)").isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    assertThat(calls.get(1).getHeader("Idempotency-Key")).as("a retry is recognisable").isEqualTo(calls.get(0).getHeader("Idempotency-Key"));
  }

  @Test
  void aCallThatKeepsFailingTakesTheApiCallFailedPath() {
    Ended walk = walkToTheEnd("down", json(500, "{\"error\":\"down\"}"));

    assertThat(walk.endElement()).isEqualTo("EndEvent_ApiCallFailed");
    assertThat(runtime.createProcessInstanceQuery().processInstanceId(walk.instanceId()).count()).isZero();
    assertThat(loyalty.findAll(postRequestedFor(urlEqualTo(tierPath(walk.profileId()))))).as("max-attempts tries").hasSize(3);
  }

  @Test
  void aClientErrorFailsAtOnce() {
    Ended walk = walkToTheEnd("unknown", json(404, "{\"error\":\"no such member\"}"));

    assertThat(walk.endElement()).isEqualTo("EndEvent_ApiCallFailed");
    assertThat(loyalty.findAll(postRequestedFor(urlEqualTo(tierPath(walk.profileId()))))).hasSize(1);
  }

  @Test
  void theEndpointsRateLimitSpacesTheCallsOfManyProfiles() {
    String key = deploy("metered");
    List<String> instances = new java.util.ArrayList<>();
    List<String> profiles = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String profileId = createProfile(uniqueEmail("metered"), "Max");
      loyalty.stubFor(post(urlEqualTo(tierPath(profileId))).willReturn(json(200, "{\"tier\":\"gold\"}")));
      profiles.add(profileId);
      instances.add(enter(key, profileId));
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> instances.stream().allMatch(id -> isWaitingAt(id, "Event_GoldWait")));
    List<java.time.Instant> arrivals = profiles.stream()
        .map(p -> loyalty.findAll(postRequestedFor(urlEqualTo(tierPath(p)))).get(0).getLoggedDate().toInstant()).sorted().toList();
    assertThat(Duration.between(arrivals.get(0), arrivals.get(4))).as("5 calls at 2 a second, one permit at a time")
        .isGreaterThanOrEqualTo(Duration.ofMillis(1800));
  }

  @Test
  void anEndpointOutsideTheAllowListIsRefusedAtDeployment() {
    assertThatThrownBy(() -> deploy("evil-api"))
        .isInstanceOf(ProcessEngineException.class)
        .hasMessageContaining("element 'Task_ReadTier'")
        .hasMessageContaining("endpoint 'evil-api' is not in the allow-list")
        .hasMessageContaining("overture.actions.endpoints.evil-api.base-url")
        .hasMessageContaining("[loyalty, metered]");
  }

  @Test
  void aPathThatLeavesTheBaseUrlIsRefusedAtDeployment() {
    TestJourneys.Keyed journey = TestJourneys.xml("loyalty-tier.bpmn", "loyalty");
    String bpmn = journey.bpmn().replace("value=\"ENDPOINT\"", "value=\"loyalty\"")
        .replace("/members/{{profileId}}/tier", "/../admin");
    assertThatThrownBy(() -> repository.createDeployment().addString(journey.key() + ".bpmn", bpmn).deploy())
        .isInstanceOf(ProcessEngineException.class)
        .hasMessageContaining("path '/../admin' must start with / and stay under the endpoint's base URL");
  }

  /** A journey instance that ended, at which end event. */
  private record Ended(String profileId, String instanceId, String endElement) {}

  /** A new member whose every call gets {@code answer} walks the journey to its end. */
  private Ended walkToTheEnd(String name, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
    String key = deploy("loyalty");
    String profileId = createProfile(uniqueEmail(name), "Member");
    loyalty.stubFor(post(urlEqualTo(tierPath(profileId))).willReturn(answer));
    String instanceId = enter(key, profileId);
    String end = await().atMost(Duration.ofSeconds(30)).until(() -> JourneyRuns.endElement(jdbc, instanceId), e -> e != null);
    return new Ended(profileId, instanceId, end);
  }

  /** The member's first call answers {@code first}, every later one the gold tier. */
  private void firstThenGold(String profileId, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder first) {
    String scenario = "first-then-gold-" + profileId;
    loyalty.stubFor(post(urlEqualTo(tierPath(profileId))).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
        .willReturn(first).willSetStateTo("answered"));
    loyalty.stubFor(post(urlEqualTo(tierPath(profileId))).inScenario(scenario).whenScenarioStateIs("answered")
        .willReturn(json(200, "{\"tier\":\"gold\"}")));
  }

  private String deploy(String endpoint) {
    TestJourneys.Keyed journey = TestJourneys.xml("loyalty-tier.bpmn", "loyalty");
    repository.createDeployment().addString(journey.key() + ".bpmn", journey.bpmn().replace("value=\"ENDPOINT\"", "value=\"" + endpoint + "\""))
        .deploy();
    return journey.key();
  }

  private String enter(String key, String profileId) {
    api().body(Map.of("profileId", profileId)).post("/api/journeys/{key}/entries", key).then().statusCode(201);
    return jdbc.sql("SELECT process_instance_id FROM journey_entry WHERE journey_key = ? AND profile_id = ?")
        .params(key, profileId).query(String.class).single();
  }

  private boolean isWaitingAt(String instanceId, String activityId) {
    return runtime.createProcessInstanceQuery().processInstanceId(instanceId).activityIdIn(activityId).count() == 1;
  }

  private static String tierPath(String profileId) {
    return "/loyalty/members/" + profileId + "/tier";
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
  }
}
