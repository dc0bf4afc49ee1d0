package dev.overture.experiment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.delivery.Holdout;
import dev.overture.delivery.Holdouts;
import dev.overture.event.CustomerEvent;
import dev.overture.event.Events;
import dev.overture.experiment.GoalJourneys;
import dev.overture.experiment.JourneyResults;
import dev.overture.journey.JourneyGoals;
import dev.overture.journey.Journeys;
import dev.overture.profile.Profiles;
import dev.overture.support.AppTestBase;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The results with a global holdout of 50 %: the held-out profiles' entries and conversions are counted apart and
 * left out of the experiment's arms. The journeys run in the shared app (holdout 0 %); the results are read by
 * {@link Results} over the same data with a holdout of 50 %.
 */
class HoldoutResultsTest extends AppTestBase {

  @Autowired JdbcClient jdbc;
  @Autowired JourneyGoals goals;
  @Autowired ExperimentsProperties experiments;
  @Autowired RepositoryService repository;
  @Autowired RuntimeService runtime;
  @Autowired Profiles profiles;
  @Autowired Events events;

  @Test
  void aHeldOutProfilesConversionCountsApartAndInNoArm() {
    Holdout half = Holdouts.at(50, jdbc);
    Results results = new Results(jdbc, goals, half, experiments);
    Instant start = Instant.now();
    String key = GoalJourneys.deploy(repository, """
        <camunda:property name="overture:goal" value="purchase.completed" />""", """
        <bpmn:startEvent id="StartEvent_Entered" />
        <bpmn:serviceTask id="Task_Split" camunda:delegateExpression="${split}">
          <bpmn:extensionElements><camunda:properties>
            <camunda:property name="variants" value="A:50,B:50" />
          </camunda:properties></bpmn:extensionElements>
        </bpmn:serviceTask>
        <bpmn:endEvent id="EndEvent_Done" />
        <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_Entered" targetRef="Task_Split" />
        <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_Split" targetRef="EndEvent_Done" />""", "");
    String held = profile(half, true);
    String treated = profile(half, false);
    runtime.startProcessInstanceByKey(key, held, Map.of(Journeys.PROFILE_ID, held));
    runtime.startProcessInstanceByKey(key, treated, Map.of(Journeys.PROFILE_ID, treated));

    events.ingest(new CustomerEvent(UUID.randomUUID().toString(), "purchase.completed", held, Instant.now(), Map.of()));

    JourneyResults r = results.of(key, null, start, null);
    assertThat(r.entered()).isEqualTo(2);
    assertThat(r.conversions()).isEqualTo(1);
    assertThat(r.holdout()).isEqualTo(new JourneyResults.Holdout(50.0, 1, 1, 1.0));
    assertThat(r.experiments()).singleElement().satisfies(e -> {
      assertThat(e.variants().stream().mapToLong(JourneyResults.Variant::profiles).sum()).as("only the treated profile").isEqualTo(1);
      assertThat(e.variants().stream().mapToLong(JourneyResults.Variant::conversions).sum()).isZero();
    });
    assertThat(new Results(jdbc, goals, Holdouts.at(0, jdbc), experiments).of(key, null, start, null).holdout())
        .as("the same data without a holdout").isEqualTo(new JourneyResults.Holdout(0.0, 0, 0, null));
  }

  private String profile(Holdout holdout, boolean heldOut) {
    String id;
    do {
      id = profiles.upsert(Map.of("email", "ho-" + UUID.randomUUID() + "@example.com"), Map.of("firstName", "Sam")).profile().id();
    } while (holdout.contains(id) != heldOut);
    return id;
  }
}
