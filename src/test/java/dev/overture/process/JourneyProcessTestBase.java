package dev.overture.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.delivery.Deliveries;
import dev.overture.delivery.Delivery;
import dev.overture.event.CustomerEvent;
import dev.overture.event.Events;
import dev.overture.profile.Profiles;
import dev.overture.support.AppTestBase;
import dev.overture.support.JourneyRuns;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * End-to-end tests of the journeys in bpmn/ in the shared app: events go through the real ingestion flow and
 * correlate before ingest returns. The job executor runs; the journeys' timers are days away, so it leaves them
 * to the test, which runs one when it wants the wait over.
 */
abstract class JourneyProcessTestBase extends AppTestBase {

  @Autowired ProcessEngine engine;
  @Autowired Profiles profiles;
  @Autowired Consents consents;
  @Autowired Events events;
  @Autowired Deliveries deliveries;
  @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;

  @BeforeEach
  void initAssertions() {
    BpmnAwareTests.init(engine);
  }

  String consentingProfile(Map<String, Object> attributes) {
    Map<String, Object> attrs = new HashMap<>(Map.of("firstName", "Pat"));
    attrs.putAll(attributes);
    String id = profiles.upsert(Map.of("email", "p-" + UUID.randomUUID() + "@example.com"), attrs).profile().id();
    consents.record(id, Channel.EMAIL, Purpose.MARKETING, true, "test", "test");
    consents.record(id, Channel.PUSH, Purpose.MARKETING, true, "test", "test");
    return id;
  }

  Events.Ingested send(String type, String profileId, Map<String, Object> properties) {
    return events.ingest(new CustomerEvent(UUID.randomUUID().toString(), type, profileId, Instant.now(), properties));
  }

  ProcessInstance instance(String journeyKey, String profileId) {
    return engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(journeyKey)
        .processInstanceBusinessKey(profileId).singleResult();
  }

  long instancesEver(String journeyKey, String profileId) {
    return JourneyRuns.count(jdbc, journeyKey, profileId);
  }

  /** The end event the instance ended at, from the journey log (journeys keep no Camunda history); null while it runs. */
  String endedAt(ProcessInstance pi) {
    return JourneyRuns.endElement(jdbc, pi.getId());
  }

  /** Runs the job waiting at {@code activityId} (a timer or an async step). */
  Job runJobAt(ProcessInstance pi, String activityId) {
    Job job = engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).activityId(activityId).singleResult();
    assertThat(job).as("job at " + activityId).isNotNull();
    engine.getManagementService().executeJob(job.getId());
    return job;
  }

  List<String> creativesSentTo(String profileId) {
    return deliveries.ofProfile(profileId).stream().map(Delivery::creativeKey).toList();
  }
}
