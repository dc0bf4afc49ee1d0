package dev.overture.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.event.internal.EventCorrelator;
import dev.overture.support.AppTestBase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** 202 means stored; a correlation that fails, or whose hand-over was lost, is retried from the table. */
class CorrelationRetryTest extends AppTestBase {

  @Autowired RepositoryService repository;
  @Autowired RuntimeService runtime;
  @Autowired JdbcClient jdbc;
  @Autowired EventCorrelator correlator;
  @Autowired Events events;

  private void deploy(BpmnModelInstance model) {
    String key = model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.Process.class).iterator().next().getId();
    repository.createDeployment().name(key).addModelInstance(key + ".bpmn", model).enableDuplicateFiltering(true).deploy();
  }

  /** Waits for {@code probe.poked}, then evaluates ${probeReady}: fails until the variable exists. */
  private void deployProbe() {
    BpmnModelInstance probe = Bpmn.createExecutableProcess("correlation-probe").camundaHistoryTimeToLive(1)
        .startEvent("StartEvent_Probe")
        .intermediateCatchEvent("Event_Poked").message("probe.poked")
        .serviceTask("Task_NeedsReadiness").camundaExpression("${probeReady}")
        .endEvent("EndEvent_Probe")
        .done();
    deploy(probe);
  }

  @Test
  void failedCorrelationIsRetriedUntilItSucceeds() {
    deployProbe();
    String profileId = createProfile(uniqueEmail("retry"), "R");
    ProcessInstance pi = runtime.startProcessInstanceByKey("correlation-probe", profileId);
    String eventId = UUID.randomUUID().toString();

    api().body(Map.of("eventId", eventId, "type", "probe.poked", "profileId", profileId)).post("/api/events")
        .then().statusCode(202);

    await().atMost(Duration.ofSeconds(10)).until(() -> attempts(eventId) >= 1);
    assertThat(jdbc.sql("SELECT last_error FROM customer_event WHERE event_id = ?").param(eventId).query(String.class).single())
        .contains("probeReady");
    assertThat(runtime.createProcessInstanceQuery().processInstanceId(pi.getId()).count()).as("rolled back, still waiting").isOne();

    runtime.setVariable(pi.getId(), "probeReady", true);

    await().atMost(Duration.ofSeconds(20)).until(() -> runtime.createProcessInstanceQuery().processInstanceId(pi.getId()).count() == 0);
    assertThat(jdbc.sql("SELECT processed_at IS NOT NULL FROM customer_event WHERE event_id = ?").param(eventId)
        .query(Boolean.class).single()).isTrue();
  }

  @Test
  void storedEventWhoseHandOverWasLostIsCorrelatedByThePoller() {
    String profileId = createProfile(uniqueEmail("lost"), "L");
    setConsent(profileId, "email", "marketing", "granted");
    api().body(Map.of("profileId", profileId)).post("/api/journeys/welcome/entries").then().statusCode(201);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        runtime.createProcessInstanceQuery().processInstanceBusinessKey(profileId).activityIdIn("Gateway_PurchaseOrTimeout").count() == 1);

    // as if the node crashed after commit: the row is stored, nobody is correlating it
    jdbc.sql("""
            INSERT INTO customer_event (event_id, type, profile_id, occurred_at, received_at, properties)
            VALUES (?, 'purchase.completed', ?, CURRENT_TIMESTAMP(3), CURRENT_TIMESTAMP(3), '{}')""")
        .params(UUID.randomUUID().toString(), profileId).update();

    await().atMost(Duration.ofSeconds(10)).until(() -> runtime.createProcessInstanceQuery().processInstanceBusinessKey(profileId).count() == 0);
  }

  @Test
  void aFailingEventInACorrelationBatchHoldsBackNeitherTheOthersNorItsOwnRetry() {
    deployProbe();
    String failing = createProfile(uniqueEmail("batch-fail"), "F");
    ProcessInstance probe = runtime.startProcessInstanceByKey("correlation-probe", failing);
    String fine = createProfile(uniqueEmail("batch-ok"), "O");
    setConsent(fine, "email", "marketing", "granted");
    api().body(Map.of("profileId", fine)).post("/api/journeys/welcome/entries").then().statusCode(201);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        runtime.createProcessInstanceQuery().processInstanceBusinessKey(fine).activityIdIn("Gateway_PurchaseOrTimeout").count() == 1);
    // two stored events, leased so that the retry poller leaves them to this test's batch
    String failingEvent = UUID.randomUUID().toString();
    String fineEvent = UUID.randomUUID().toString();
    long failingRow = leasedRow(failingEvent, "probe.poked", failing);
    long fineRow = leasedRow(fineEvent, "purchase.completed", fine);

    correlator.correlateAll(List.of(failingRow, fineRow));

    assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(fine).count()).as("welcome ended by the purchase").isZero();
    assertThat(jdbc.sql("SELECT processed_at IS NOT NULL FROM customer_event WHERE id = ?").param(fineRow).query(Boolean.class).single())
        .isTrue();
    assertThat(attempts(failingEvent)).isEqualTo(1);
    assertThat(jdbc.sql("SELECT processed_at IS NULL FROM customer_event WHERE id = ?").param(failingRow).query(Boolean.class).single())
        .as("the failing event waits for its retry").isTrue();
    assertThat(runtime.createProcessInstanceQuery().processInstanceId(probe.getId()).count()).isOne();
  }

  @Test
  void aBatchReachesEveryProfilesWaitsAndAProfilesLaterEventSeesWhatItsEarlierOneChanged() {
    BpmnModelInstance steps = Bpmn.createExecutableProcess("correlation-steps").camundaHistoryTimeToLive(1)
        .startEvent("StartEvent_Steps")
        .intermediateCatchEvent("Event_First").message("steps.first")
        .intermediateCatchEvent("Event_Second").message("steps.second")
        .endEvent("EndEvent_Steps")
        .done();
    deploy(steps);
    String ada = createProfile(uniqueEmail("steps-a"), "A");
    String bob = createProfile(uniqueEmail("steps-b"), "B");
    ProcessInstance adas = runtime.startProcessInstanceByKey("correlation-steps", ada);
    ProcessInstance bobs = runtime.startProcessInstanceByKey("correlation-steps", bob);
    long adaFirst = leasedRow(UUID.randomUUID().toString(), "steps.first", ada);
    long bobFirst = leasedRow(UUID.randomUUID().toString(), "steps.first", bob);
    // when the batch starts nobody waits for steps.second: Ada's first event makes her instance wait for it
    long adaSecond = leasedRow(UUID.randomUUID().toString(), "steps.second", ada);

    correlator.correlateAll(List.of(adaFirst, bobFirst, adaSecond));

    assertThat(runtime.createProcessInstanceQuery().processInstanceId(adas.getId()).count()).as("Ada's instance took both steps").isZero();
    assertThat(runtime.createExecutionQuery().processInstanceId(bobs.getId()).activityId("Event_Second").count())
        .as("Bob's instance took the first step").isOne();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM customer_event WHERE id IN (?, ?, ?) AND processed_at IS NOT NULL")
        .params(adaFirst, bobFirst, adaSecond).query(Integer.class).single()).isEqualTo(3);
  }

  /** A profile's instance of the ordered steps, and the row of its first event, which failed once. */
  private record FailedFirst(String profileId, ProcessInstance steps, long first) {}

  private FailedFirst failedFirstStep(String name) {
    String profileId = createProfile(uniqueEmail(name), name);
    ProcessInstance steps = startOrderedSteps(profileId);
    long first = leasedRow(UUID.randomUUID().toString(), "ordered.first", profileId);
    correlator.correlateAll(List.of(first));
    return new FailedFirst(profileId, steps, first);
  }

  /** Waits for {@code ordered.first}, needs ${orderReady} (fails until it is set), then waits for {@code ordered.second}. */
  private ProcessInstance startOrderedSteps(String profileId) {
    BpmnModelInstance steps = Bpmn.createExecutableProcess("correlation-ordered").camundaHistoryTimeToLive(1)
        .startEvent("StartEvent_Ordered")
        .intermediateCatchEvent("Event_OrderedFirst").message("ordered.first")
        .serviceTask("Task_NeedsOrderReady").camundaExpression("${orderReady}")
        .intermediateCatchEvent("Event_OrderedSecond").message("ordered.second")
        .endEvent("EndEvent_Ordered")
        .done();
    deploy(steps);
    return runtime.startProcessInstanceByKey("correlation-ordered", profileId);
  }

  @Test
  void aProfilesLaterEventWaitsForItsEarlierOneThatFailedAndCorrelatesAfterIt() {
    FailedFirst f = failedFirstStep("ordered");
    assertThat(attemptsOf(f.first())).as("the first event failed").isEqualTo(1);

    // before its first event, the instance does not wait for the second: correlated now, it would be lost
    long second = leasedRow(UUID.randomUUID().toString(), "ordered.second", f.profileId());
    correlator.correlateAll(List.of(second));
    assertThat(processed(second)).as("the second event waits for the first").isFalse();
    assertThat(attemptsOf(second)).as("waiting is not a failure").isZero();

    runtime.setVariable(f.steps().getId(), "orderReady", true);
    await().atMost(Duration.ofSeconds(30))
        .until(() -> runtime.createProcessInstanceQuery().processInstanceId(f.steps().getId()).count() == 0);
    assertThat(processed(f.first())).isTrue();
    assertThat(processed(second)).isTrue();
  }

  @Test
  void aLaterEventNoLongerWaitsOnceTheEarlierOneHasFailedHoldAttemptsTimes() {
    FailedFirst f = failedFirstStep("ordered-poison");
    for (int i = 1; i < 4; i++) {
      correlator.correlateAll(List.of(f.first()));
    }
    assertThat(attemptsOf(f.first())).isGreaterThanOrEqualTo(4);

    long second = leasedRow(UUID.randomUUID().toString(), "ordered.second", f.profileId());
    correlator.correlateAll(List.of(second));

    assertThat(processed(second)).as("an event that fails this often holds the profile back no longer").isTrue();
    assertThat(processed(f.first())).isFalse();
    assertThat(runtime.createExecutionQuery().processInstanceId(f.steps().getId()).activityId("Event_OrderedFirst").count()).isOne();
  }

  @Test
  void anEventIngestedForItsReactionCorrelatesTheProfilesEarlierWaitingEventFirst() {
    FailedFirst f = failedFirstStep("ordered-now");
    assertThat(processed(f.first())).isFalse();
    runtime.setVariable(f.steps().getId(), "orderReady", true);

    events.ingest(new CustomerEvent(UUID.randomUUID().toString(), "ordered.second", f.profileId(), null, Map.of()));

    // the partition the event was also handed to may have correlated it first; either way, after the first
    assertThat(processed(f.first())).isTrue();
    assertThat(runtime.createProcessInstanceQuery().processInstanceId(f.steps().getId()).count()).as("both steps taken").isZero();
  }

  private boolean processed(long rowId) {
    return jdbc.sql("SELECT processed_at IS NOT NULL FROM customer_event WHERE id = ?").param(rowId).query(Boolean.class).single();
  }

  private int attemptsOf(long rowId) {
    return jdbc.sql("SELECT attempts FROM customer_event WHERE id = ?").param(rowId).query(Integer.class).single();
  }

  private long leasedRow(String eventId, String type, String profileId) {
    jdbc.sql("""
            INSERT INTO customer_event (event_id, type, profile_id, occurred_at, received_at, properties, claimed_until)
            VALUES (?, ?, ?, CURRENT_TIMESTAMP(3), CURRENT_TIMESTAMP(3), '{}', TIMESTAMPADD(MINUTE, 5, CURRENT_TIMESTAMP(3)))""")
        .params(eventId, type, profileId).update();
    return jdbc.sql("SELECT id FROM customer_event WHERE event_id = ?").param(eventId).query(Long.class).single();
  }

  private int attempts(String eventId) {
    return jdbc.sql("SELECT attempts FROM customer_event WHERE event_id = ?").param(eventId).query(Integer.class).optional().orElse(0);
  }
}
