package dev.overture.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overture.journey.Journeys;
import dev.overture.profile.Profiles;
import dev.overture.segment.Segments;
import dev.overture.support.AppTestBase;
import dev.overture.support.JourneyRuns;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The "Check segment" task in src/test/resources/bpmn/segment-branch.bpmn against real FEEL segments in the shared app.
 * Both branches one by one: {@link CheckSegmentPathTest}.
 */
class CheckSegmentProcessTest extends AppTestBase {

  @Autowired ProcessEngine engine;
  @Autowired Profiles profiles;
  @Autowired Segments segments;
  @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;

  private final String segmentKey = "vip-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void init() {
    BpmnAwareTests.init(engine);
    segments.define(segmentKey, "VIPs", "lifetimeValue >= 1000");
  }

  @Test
  void aMemberTakesTheVipPath() {
    ProcessInstance pi = enter(profile(Map.of("lifetimeValue", 2500)));

    assertThat(JourneyRuns.endElement(jdbc, pi.getId())).isEqualTo("EndEvent_VipPath");
  }

  @Test
  void aProfileMissingTheAttributeIsNotAMember() {
    ProcessInstance pi = enter(profile(Map.of("firstName", "Nora")));

    assertThat(JourneyRuns.endElement(jdbc, pi.getId())).isEqualTo("EndEvent_RegularPath");
  }

  @Test
  void anUnknownSegmentIsAnErrorNotASilentNo() {
    String profileId = profile(Map.of("lifetimeValue", 2500));
    assertThatThrownBy(() -> engine.getRuntimeService().startProcessInstanceByKey("segment-branch", profileId,
        Map.of(Journeys.PROFILE_ID, profileId, "testSegmentKey", "no-such-segment")))
        .hasMessageContaining("no-such-segment");
  }

  private String profile(Map<String, Object> attributes) {
    return profiles.upsert(Map.of("email", uniqueEmail("vip")), attributes).profile().id();
  }

  private ProcessInstance enter(String profileId) {
    return engine.getRuntimeService().startProcessInstanceByKey("segment-branch", profileId,
        Map.of(Journeys.PROFILE_ID, profileId, "testSegmentKey", segmentKey));
  }
}
