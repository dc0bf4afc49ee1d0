package dev.overture.journey;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.event.CustomerEvent;
import dev.overture.event.Events;
import dev.overture.profile.Profiles;
import dev.overture.support.AppTestBase;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The compact journey log: one journey_run row per journey instance with its end reason, per-element
 * counters, written in the engine's transaction, and no Camunda history rows for journeys while the
 * approval process keeps its history. Counts are compared before and after, as other tests in the
 * shared context run the same journeys.
 */
class JourneyLogTest extends AppTestBase {

  @Autowired ProcessEngine engine;
  @Autowired Journeys journeys;
  @Autowired Profiles profiles;
  @Autowired Consents consents;
  @Autowired Events events;
  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate tx;

  @Test
  void aRunIsLoggedFromEntryToItsGoalWithoutCamundaHistory() {
    String profileId = profile(true);
    Map<String, long[]> before = elementCounts("welcome");
    long[] runsBefore = runCounts("welcome");

    String instanceId = journeys.enter("welcome", profileId, Map.of(), null).entry().processInstanceId();

    Map<String, Object> run = run(instanceId);
    assertThat(run.get("journey_key")).isEqualTo("welcome");
    assertThat(run.get("profile_id")).isEqualTo(profileId);
    assertThat(run.get("ended_at")).isNull();
    assertThat(run.get("end_reason")).isNull();
    Map<String, long[]> waiting = delta(before, elementCounts("welcome"));
    // entered, completed, cancelled
    assertThat(waiting.get("StartEvent_Entered")).containsExactly(1, 1, 0);
    assertThat(waiting.get("Task_CheckEmailConsent")).containsExactly(1, 1, 0);
    assertThat(waiting.get("Task_SendWelcomeEmail")).containsExactly(1, 1, 0);
    assertThat(waiting.get("Gateway_PurchaseOrTimeout")).containsExactly(1, 0, 0);
    assertThat(waiting).doesNotContainKey("EndEvent_NoConsent");

    events.ingest(new CustomerEvent(UUID.randomUUID().toString(), "purchase.completed", profileId, Instant.now(), Map.of()));

    run = run(instanceId);
    assertThat(run.get("ended_at")).isNotNull();
    assertThat(run.get("end_reason")).isEqualTo("goal_reached");
    assertThat(run.get("end_element_id")).isEqualTo("EndEvent_Purchased");
    Map<String, long[]> ended = delta(before, elementCounts("welcome"));
    assertThat(ended.get("Gateway_PurchaseOrTimeout")).containsExactly(1, 1, 0);
    assertThat(ended.get("Event_PurchaseCompleted")).containsExactly(1, 1, 0);
    assertThat(ended.get("EndEvent_Purchased")).containsExactly(1, 1, 0);
    assertThat(ended).doesNotContainKey("Task_SendReminderEmail");
    long[] runs = delta(runsBefore, runCounts("welcome"));
    // entered, completed, goal_reached, exited_by_event, exited_by_api, cancelled, erased
    assertThat(runs).containsExactly(1, 0, 1, 0, 0, 0, 0);

    Map<String, String> instanceColumn = Map.of("ACT_HI_PROCINST", "PROC_INST_ID_", "ACT_HI_ACTINST", "PROC_INST_ID_",
        "ACT_HI_VARINST", "PROC_INST_ID_", "ACT_HI_DETAIL", "PROC_INST_ID_", "ACT_HI_JOB_LOG", "PROCESS_INSTANCE_ID_");
    instanceColumn.forEach((table, column) -> assertThat(jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = ?")
        .param(instanceId).query(Long.class).single()).as(table).isZero());
  }

  @Test
  void aProfileWithoutConsentCompletesAtTheNoConsentEnd() {
    String profileId = profile(false);
    long[] runsBefore = runCounts("welcome");

    String instanceId = journeys.enter("welcome", profileId, Map.of(), null).entry().processInstanceId();

    Map<String, Object> run = run(instanceId);
    assertThat(run.get("end_reason")).isEqualTo("completed");
    assertThat(run.get("end_element_id")).isEqualTo("EndEvent_NoConsent");
    assertThat(delta(runsBefore, runCounts("welcome"))).containsExactly(1, 1, 0, 0, 0, 0, 0);
  }

  @Test
  void anExitByApiIsLoggedAndCancelsTheWaitingStep() {
    String profileId = profile(true);
    String instanceId = journeys.enter("welcome", profileId, Map.of(), null).entry().processInstanceId();
    Map<String, long[]> before = elementCounts("welcome");
    long[] runsBefore = runCounts("welcome");

    given().header("Authorization", "Bearer " + API_KEY)
        .delete("/api/journeys/welcome/profiles/" + profileId).then().statusCode(204);

    Map<String, Object> run = run(instanceId);
    assertThat(run.get("end_reason")).isEqualTo("exited_by_api");
    assertThat(run.get("end_element_id")).isNull();
    assertThat(delta(before, elementCounts("welcome")).get("Gateway_PurchaseOrTimeout")).containsExactly(0, 0, 1);
    assertThat(delta(runsBefore, runCounts("welcome"))).containsExactly(0, 0, 0, 0, 1, 0, 0);
  }

  @Test
  void aRolledBackEntryLeavesNoRowAndNoCount() {
    String profileId = profile(true);
    Map<String, long[]> before = elementCounts("welcome");
    long[] runsBefore = runCounts("welcome");

    assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
      journeys.enter("welcome", profileId, Map.of(), null);
      throw new IllegalStateException("the caller's transaction fails after the entry");
    })).isInstanceOf(IllegalStateException.class);

    assertThat(jdbc.sql("SELECT COUNT(*) FROM journey_run WHERE profile_id = ?").param(profileId).query(Long.class).single())
        .isZero();
    assertThat(delta(before, elementCounts("welcome"))).isEmpty();
    assertThat(delta(runsBefore, runCounts("welcome"))).containsOnly(0);
  }

  @Test
  void anApprovalProcessKeepsItsHistoryAndRemovalTime() {
    String key = "approval-" + UUID.randomUUID().toString().substring(0, 8);
    engine.getRepositoryService().createDeployment().addModelInstance(key + ".bpmn", Bpmn.createExecutableProcess(key)
        .camundaHistoryTimeToLive(30).startEvent().userTask("Task_Review").endEvent().done()).deploy();
    String approval = engine.getRuntimeService().startProcessInstanceByKey(key).getId();
    engine.getTaskService().complete(engine.getTaskService().createTaskQuery().processInstanceId(approval).singleResult().getId());

    Map<String, Object> history = jdbc.sql("SELECT END_TIME_, REMOVAL_TIME_ FROM ACT_HI_PROCINST WHERE PROC_INST_ID_ = ?")
        .param(approval).query().singleRow();
    assertThat(((java.sql.Timestamp) history.get("REMOVAL_TIME_")).toInstant())
        .isEqualTo(((java.sql.Timestamp) history.get("END_TIME_")).toInstant().plus(java.time.Duration.ofDays(30)));
    assertThat(jdbc.sql("SELECT COUNT(*) FROM ACT_HI_TASKINST WHERE PROC_INST_ID_ = ? AND REMOVAL_TIME_ IS NOT NULL")
        .param(approval).query(Long.class).single()).isOne();
  }

  private String profile(boolean emailConsent) {
    String id = profiles.upsert(Map.of("email", "log-" + UUID.randomUUID() + "@example.com"), Map.of("firstName", "Lou"))
        .profile().id();
    if (emailConsent) {
      consents.record(id, Channel.EMAIL, Purpose.MARKETING, true, "test", "test");
    }
    return id;
  }

  private Map<String, Object> run(String instanceId) {
    return jdbc.sql("SELECT * FROM journey_run WHERE instance_id = ?").param(instanceId).query().singleRow();
  }

  private Map<String, long[]> elementCounts(String journeyKey) {
    Map<String, long[]> out = new HashMap<>();
    jdbc.sql("SELECT element_id, SUM(entered), SUM(completed), SUM(cancelled) FROM journey_element_count "
            + "WHERE journey_key = ? GROUP BY element_id")
        .param(journeyKey)
        .query((rs, n) -> out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)}))
        .list();
    return out;
  }

  private long[] runCounts(String journeyKey) {
    return jdbc.sql("SELECT COALESCE(SUM(entered), 0), COALESCE(SUM(completed), 0), COALESCE(SUM(goal_reached), 0), "
            + "COALESCE(SUM(exited_by_event), 0), COALESCE(SUM(exited_by_api), 0), COALESCE(SUM(cancelled), 0), "
            + "COALESCE(SUM(erased), 0) FROM journey_count WHERE journey_key = ?")
        .param(journeyKey)
        .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
            rs.getLong(7)})
        .single();
  }

  private static Map<String, long[]> delta(Map<String, long[]> before, Map<String, long[]> after) {
    Map<String, long[]> out = new HashMap<>();
    after.forEach((element, counts) -> {
      long[] d = delta(before.getOrDefault(element, new long[counts.length]), counts);
      if (java.util.Arrays.stream(d).anyMatch(n -> n != 0)) {
        out.put(element, d);
      }
    });
    return out;
  }

  private static long[] delta(long[] before, long[] after) {
    long[] d = new long[after.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = after[i] - before[i];
    }
    return d;
  }
}
