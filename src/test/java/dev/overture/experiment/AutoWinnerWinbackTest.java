package dev.overture.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.experiment.internal.Buckets;
import dev.overture.experiment.internal.Utc;
import dev.overture.experiment.internal.WinnerDecisions;
import dev.overture.journey.Journeys;
import dev.overture.profile.Profiles;
import dev.overture.support.AppTestBase;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Winback's split carries an auto-winner rule (100 per arm, 5 % after Holm–Bonferroni, 10 % kept in control). Seeded
 * figures from a month ago make offer A win: the decision is recorded once, shown in the results, and every entry after
 * it gets offer A, but the profiles whose bucket falls in the kept 10 %.
 */
class AutoWinnerWinbackTest extends AppTestBase {

  private static final String JOURNEY = "winback";
  private static final String EXPERIMENT = "winback-offer";

  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate tx;
  @Autowired WinnerDecisions decisions;
  @Autowired Journeys journeys;
  @Autowired Profiles profiles;
  @Autowired Consents consents;
  @Autowired RuntimeService runtime;
  @Autowired org.camunda.bpm.engine.RepositoryService repository;

  private final String seed = "aw-" + UUID.randomUUID().toString().substring(0, 8);

  @AfterEach
  void forgetTheDecisionAndTheSeed() {
    tx.executeWithoutResult(s -> {
      jdbc.sql("DELETE FROM experiment_decision WHERE journey_key = ?").param(JOURNEY).update();
      for (String table : List.of("journey_conversion", "experiment_assignment", "journey_run")) {
        jdbc.sql("DELETE FROM " + table + " WHERE profile_id LIKE ?").param(seed + "%").update();
      }
    });
    decisions.refresh();
  }

  @Test
  void entriesAfterTheDecisionGetTheWinnerButTheKeptControlShare() {
    // an entry before the decision puts the experiment on this node's watch list, and is split as drawn
    enter();
    assertThat(decisions.decide()).as("no decision below the minimum sample").isZero();
    assertThat(decisionInResults()).isNull();

    // A converts 40 % of 200, B 15 % of 200, the control 10 % of 120: A against control p ≈ 1e-8, B's p ≈ 0.2
    seedArm("A", false, 200, 80);
    seedArm("B", false, 200, 30);
    seedArm("control", true, 120, 12);
    // two nodes' rounds at the same moment: the primary key lets one record the decision
    var first = CompletableFuture.supplyAsync(decisions::decide);
    var second = CompletableFuture.supplyAsync(decisions::decide);
    assertThat(first.join() + second.join()).as("decisions recorded by the two rounds").isEqualTo(1);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM experiment_decision WHERE journey_key = ?").param(JOURNEY)
        .query(Integer.class).single()).isEqualTo(1);

    List<String> kept = new ArrayList<>();
    int toA = 0;
    for (int i = 0; i < 60; i++) {
      Entry e = enter();
      boolean inKeptShare = Buckets.bucket(EXPERIMENT + Experiments.DECIDED, e.profileId()) < 1000;
      assertThat(e.variant()).as("variant of %s (kept in control: %s)", e.profileId(), inKeptShare)
          .isEqualTo(inKeptShare ? "control" : "A");
      if (inKeptShare) {
        kept.add(e.profileId());
      } else {
        toA++;
      }
    }
    assertThat(toA).as("entries routed to A").isGreaterThan(40);
    assertThat(kept.size()).as("entries kept in control").isLessThan(20);

    Map<String, Object> decision = decisionInResults();
    assertThat(decision).isNotNull();
    assertThat(decision.get("winner")).isEqualTo("A");
    assertThat(decision.get("method")).isEqualTo("holm-bonferroni");
    assertThat(((Number) decision.get("pValue")).doubleValue()).isLessThan(0.025);
    assertThat(((Number) decision.get("adjustedPValue")).doubleValue()).isLessThan(0.05);
    assertThat(decision.get("controlShare")).isEqualTo(10);
    assertThat(decision.get("minimumSample")).isEqualTo(100);
    assertThat(decision.get("decidedAt")).isNotNull();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> figures = (List<Map<String, Object>>) decision.get("figures");
    assertThat(figures).extracting(f -> f.get("variant")).containsExactlyInAnyOrder("A", "B", "control");
  }

  @Test
  void theDecisionOutlivesARestartAndIsNotTakenTwice() {
    enter();
    seedArm("A", false, 200, 80);
    seedArm("B", false, 200, 30);
    seedArm("control", true, 120, 12);
    assertThat(decisions.decide()).isEqualTo(1);
    Instant decidedAt = Instant.parse(decisionInResults().get("decidedAt").toString());

    // more conversions for B now would make another winner, but the first decision stays
    seedArm("B", false, 400, 390);
    enter();
    assertThat(decisions.decide()).isZero();
    assertThat(decisionInResults().get("winner")).isEqualTo("A");
    assertThat(Instant.parse(decisionInResults().get("decidedAt").toString())).isEqualTo(decidedAt);

    // a node that starts now reads it from the table before its first split
    jdbc.sql("UPDATE experiment_decision SET winner = 'B' WHERE journey_key = ?").param(JOURNEY).update();
    decisions.refresh();
    String profileId = newProfile();
    boolean inKeptShare = Buckets.bucket(EXPERIMENT + Experiments.DECIDED, profileId) < 1000;
    assertThat(enter(profileId).variant()).isEqualTo(inKeptShare ? "control" : "B");
  }

  @Test
  void noDecisionBeforeTheDecisionDateWhateverTheFigures() throws java.io.IOException {
    String id = seed.substring(3);
    String journey = "winback-dated-" + id;
    String experiment = "winback-offer-" + id;
    String xml;
    try (var in = getClass().getResourceAsStream("/bpmn/winback.bpmn")) {
      xml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    xml = xml.replace("id=\"winback\"", "id=\"" + journey + "\"").replace("bpmnElement=\"winback\"", "bpmnElement=\"" + journey + "\"")
        .replace(">winback-offer<", ">" + experiment + "<")
        .replace("<camunda:property name=\"overture:auto-winner-alpha\" value=\"0.05\" />",
            "<camunda:property name=\"overture:auto-winner-alpha\" value=\"0.05\" />"
                + "<camunda:property name=\"overture:auto-winner-not-before\" value=\"2099-01-01\" />");
    repository.createDeployment().name(journey).addString(journey + ".bpmn", xml).deploy();
    String profileId = newProfile();
    journeys.enter(journey, profileId, Map.of(), null);
    seedArm(journey, experiment, "A", false, 200, 80);
    seedArm(journey, experiment, "B", false, 200, 30);
    seedArm(journey, experiment, "control", true, 120, 12);

    assertThat(decisions.decide()).isZero();
    assertThat(decisions.current(journey, experiment)).isNull();
  }

  private record Entry(String profileId, String variant) {}

  private Entry enter() {
    return enter(newProfile());
  }

  private String newProfile() {
    String id = profiles.upsert(Map.of("email", seed + "-" + UUID.randomUUID() + "@example.com"), Map.of("firstName", "Lee"))
        .profile().id();
    consents.record(id, Channel.EMAIL, Purpose.MARKETING, true, "test", "test");
    return id;
  }

  private Entry enter(String profileId) {
    String instance = journeys.enter(JOURNEY, profileId, Map.of(), null).entry().processInstanceId();
    return new Entry(profileId, (String) runtime.getVariable(instance, "variant"));
  }

  /** Runs, assignments and conversions of a month ago, as the journey log and the split would have written them. */
  private void seedArm(String variant, boolean control, int profilesInArm, int converted) {
    seedArm(JOURNEY, EXPERIMENT, variant, control, profilesInArm, converted);
  }

  private void seedArm(String journey, String experiment, String variant, boolean control, int profilesInArm, int converted) {
    var at = Utc.of(Instant.now().minus(30, ChronoUnit.DAYS));
    tx.executeWithoutResult(s -> {
      for (int i = 0; i < profilesInArm; i++) {
        String profileId = seed + "-" + variant + "-" + UUID.randomUUID();
        String instanceId = "seed-" + UUID.randomUUID();
        jdbc.sql("INSERT INTO journey_run (instance_id, journey_key, version, profile_id, started_at) VALUES (?, ?, 1, ?, ?)")
            .params(instanceId, journey, profileId, at).update();
        jdbc.sql("INSERT INTO experiment_assignment (instance_id, experiment_key, journey_key, version, element_id, profile_id, "
                + "variant, control, assigned_at) VALUES (?, ?, ?, 1, 'Task_Split', ?, ?, ?, ?)")
            .params(instanceId, experiment, journey, profileId, variant, control, at).update();
        if (i < converted) {
          jdbc.sql("INSERT INTO journey_conversion (instance_id, journey_key, version, profile_id, event_id, converted_at) "
                  + "VALUES (?, ?, 1, ?, ?, ?)")
              .params(instanceId, journey, profileId, UUID.randomUUID().toString(), at).update();
        }
      }
    });
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> decisionInResults() {
    JsonPath results = api().get("/api/journeys/" + JOURNEY + "/results").then().statusCode(200).extract().jsonPath();
    return (Map<String, Object>) results.getMap("experiments.find { it.experimentKey == '" + EXPERIMENT + "' }").get("decision");
  }
}
