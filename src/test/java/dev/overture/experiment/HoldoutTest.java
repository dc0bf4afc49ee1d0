package dev.overture.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.delivery.Deliveries;
import dev.overture.delivery.Delivery;
import dev.overture.delivery.Holdout;
import dev.overture.event.CustomerEvent;
import dev.overture.event.Events;
import dev.overture.journey.Journeys;
import dev.overture.profile.Profiles;
import dev.overture.support.AppTestBase;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/** The global holdout at 50 %: no marketing message from any journey, transactional ones still go, and its conversions apart. */
@TestPropertySource(properties = {"camunda.bpm.job-execution.enabled=false", "overture.experiments.holdout-percent=50"})
class HoldoutTest extends AppTestBase {

  @Autowired Holdout holdout;
  @Autowired JdbcClient jdbc;
  @Autowired RuntimeService runtime;
  @Autowired RepositoryService repository;
  @Autowired Profiles profiles;
  @Autowired Consents consents;
  @Autowired Deliveries deliveries;
  @Autowired Events events;

  @Test
  void theDatabaseDrawsTheSameBucketsAsTheDispatcher() {
    List<String> ids = java.util.stream.IntStream.range(0, 300).mapToObj(i -> UUID.randomUUID().toString()).toList();
    for (String id : ids) {
      int sql = jdbc.sql("SELECT " + Holdout.SQL_BUCKET.formatted(":id")).param("holdoutSalt", holdout.salt()).param("id", id)
          .query(Integer.class).single();
      assertThat(sql).as(id).isEqualTo(holdout.bucket(id));
    }
    long held = ids.stream().filter(holdout::contains).count();
    assertThat(held).as("about half of 300").isBetween(110L, 190L);
  }

  @Test
  void aHeldOutProfileGetsNoMarketingButItsTransactionalMessagesAndItsConversionsCountApart() {
    Instant start = Instant.now();
    String key = GoalJourneys.deploy(repository, """
        <camunda:property name="overture:goal" value="purchase.completed" />""", """
        <bpmn:startEvent id="StartEvent_Entered" />
        <bpmn:serviceTask id="Task_SendOffer" camunda:delegateExpression="${sendMessage}">
          <bpmn:extensionElements><camunda:properties>
            <camunda:property name="channel" value="email" />
            <camunda:property name="purpose" value="marketing" />
            <camunda:property name="creativeKey" value="welcome" />
          </camunda:properties></bpmn:extensionElements>
        </bpmn:serviceTask>
        <bpmn:serviceTask id="Task_SendReceipt" camunda:delegateExpression="${sendMessage}">
          <bpmn:extensionElements><camunda:properties>
            <camunda:property name="channel" value="email" />
            <camunda:property name="purpose" value="transactional" />
            <camunda:property name="creativeKey" value="welcome-reminder" />
          </camunda:properties></bpmn:extensionElements>
        </bpmn:serviceTask>
        <bpmn:endEvent id="EndEvent_Done" />
        <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_Entered" targetRef="Task_SendOffer" />
        <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_SendOffer" targetRef="Task_SendReceipt" />
        <bpmn:sequenceFlow id="Flow_3" sourceRef="Task_SendReceipt" targetRef="EndEvent_Done" />""", "");
    String held = profile(true);
    String treated = profile(false);
    runtime.startProcessInstanceByKey(key, held, Map.of(Journeys.PROFILE_ID, held));
    runtime.startProcessInstanceByKey(key, treated, Map.of(Journeys.PROFILE_ID, treated));

    await().atMost(Duration.ofSeconds(60)).until(() -> List.of(held, treated).stream()
        .allMatch(id -> deliveries.ofProfile(id).stream().noneMatch(d -> Delivery.PENDING.equals(d.status())
            || Delivery.SENDING.equals(d.status()))));
    assertThat(deliveries.ofProfile(held)).extracting(Delivery::activityId, Delivery::status)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("Task_SendOffer", Delivery.SUPPRESSED),
            org.assertj.core.groups.Tuple.tuple("Task_SendReceipt", Delivery.SENT));
    assertThat(deliveries.ofProfile(held).stream().filter(d -> "Task_SendOffer".equals(d.activityId())).findFirst().orElseThrow()
        .reason()).startsWith("holdout");
    assertThat(deliveries.ofProfile(treated)).extracting(Delivery::status).containsOnly(Delivery.SENT).hasSize(2);

    events.ingest(new CustomerEvent(UUID.randomUUID().toString(), "purchase.completed", held, Instant.now(), Map.of()));

    JsonPath results = api().queryParam("from", start.toString()).get("/api/journeys/{key}/results", key)
        .then().statusCode(200).extract().jsonPath();
    assertThat(results.getLong("entered")).isEqualTo(2);
    assertThat(results.getLong("conversions")).isEqualTo(1);
    assertThat(results.getDouble("holdout.percent")).isEqualTo(50.0);
    assertThat(results.getLong("holdout.profiles")).isEqualTo(1);
    assertThat(results.getLong("holdout.conversions")).isEqualTo(1);
    assertThat(results.getDouble("holdout.rate")).isEqualTo(1.0);
  }

  /** A profile with email consent for both purposes, in the holdout or not. */
  private String profile(boolean heldOut) {
    String id;
    do {
      id = profiles.upsert(Map.of("email", "ho-" + UUID.randomUUID() + "@example.com"), Map.of("firstName", "Sam")).profile().id();
    } while (holdout.contains(id) != heldOut);
    consents.record(id, Channel.EMAIL, Purpose.MARKETING, true, "test", "test");
    consents.record(id, Channel.EMAIL, Purpose.TRANSACTIONAL, true, "test", "test");
    return id;
  }
}
