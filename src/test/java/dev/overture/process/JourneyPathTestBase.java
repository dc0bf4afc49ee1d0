package dev.overture.process;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.delivery.Deliveries;
import dev.overture.delivery.Origin;
import dev.overture.event.Events;
import dev.overture.experiment.Experiments;
import dev.overture.journey.Journeys;
import dev.overture.journey.TestModeWaits;
import dev.overture.segment.Segments;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.when;

/**
 * Path tests of one BPMN: the engine alone (camunda-bpm-junit5 on in-memory H2, journey-paths.camunda.cfg.xml), the
 * class's journey deployed with {@code @Deployment}, the delegates built over Mockito mocks of the facades they call
 * and registered with {@link Mocks} under the names the BPMN's expressions use. No Spring and no job executor: a
 * timer fires when the test fires it. What the app adds around a path (events correlated by profile and
 * correlation key, the outbox, the journey log) is tested end to end in the shared app context.
 */
abstract class JourneyPathTestBase {

  @RegisterExtension
  final ProcessEngineExtension engine = ProcessEngineExtension.builder()
      .configurationResource("journey-paths.camunda.cfg.xml").build();

  /** A message the journey queued: which task, on which channel, for which purpose, with which creative. */
  record Sent(String activityId, String channel, String purpose, String creativeKey) {}

  final Deliveries deliveries = mock(Deliveries.class);
  final Events events = mock(Events.class);
  final Consents consents = mock(Consents.class);
  final Experiments experiments = mock(Experiments.class);
  final Segments segments = mock(Segments.class);
  final TestModeWaits waits = mock(TestModeWaits.class);
  final String profileId = "p-" + UUID.randomUUID();

  @BeforeEach
  void registerDelegates() {
    // the test's own engine: out of the JVM-wide registry, where the app tests' webapps and REST API would list it
    ProcessEngines.unregister(engine.getProcessEngine());
    BpmnAwareTests.init(engine.getProcessEngine());
    // a customer's waits, as drawn
    when(waits.of(any(), anyString())).thenAnswer(call -> call.getArgument(1));
    Mocks.register("waits", waits);
    Mocks.register("sendMessage", new SendMessageDelegate(deliveries, events));
    Mocks.register("checkConsent", new CheckConsentDelegate(consents));
    Mocks.register("split", new SplitDelegate(experiments, mock(dev.overture.journey.Journeys.class), 100));
    Mocks.register("checkSegment", new CheckSegmentDelegate(segments));
  }

  @AfterEach
  void resetDoubles() {
    Mocks.reset();
    BpmnAwareTests.reset();
  }

  RuntimeService runtime() {
    return engine.getRuntimeService();
  }

  /** Enters the journey as the app does: business key and variable profileId. */
  ProcessInstance enter(String journeyKey) {
    return runtime().startProcessInstanceByKey(journeyKey, profileId, Map.of(Journeys.PROFILE_ID, profileId));
  }

  /** Starts the journey by the message its start event waits for, with the event's properties as variables. */
  ProcessInstance startedBy(String eventType, Map<String, Object> variables) {
    return runtime().createMessageCorrelation(eventType).processInstanceBusinessKey(profileId).setVariables(variables)
        .correlateStartMessage();
  }

  /** The profile's event, to every instance of the profile that waits for it. */
  void event(String eventType) {
    runtime().createMessageCorrelation(eventType).processInstanceBusinessKey(profileId).correlateAllWithResult();
  }

  /** Fires the timer (or runs the async step) waiting at {@code activityId}; returns the job as it was. */
  Job fire(ProcessInstance pi, String activityId) {
    Job job = engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).activityId(activityId).singleResult();
    assertThat(job).as("job at " + activityId).isNotNull();
    engine.getManagementService().executeJob(job.getId());
    return job;
  }

  /** The messages the journey queued for the profile, in order. */
  List<Sent> sent() {
    return mockingDetails(deliveries).getInvocations().stream()
        .filter(call -> call.getMethod().getName().equals("enqueue"))
        .map(call -> {
          Object[] args = call.getArguments();
          Origin origin = (Origin) args[4];
          assertThat(args[0]).as("recipient").isEqualTo(profileId);
          return new Sent(origin.activityId(), ((Channel) args[1]).key(), ((Purpose) args[2]).key(), (String) args[3]);
        })
        .toList();
  }

  /** The creatives of the messages queued, in order. */
  List<String> creativesSent() {
    return sent().stream().map(Sent::creativeKey).toList();
  }
}
