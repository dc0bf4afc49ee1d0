package dev.overture.process;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.mockito.Mockito.when;

import dev.overture.journey.Journeys;
import dev.overture.segment.Segments;
import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.junit.jupiter.api.Test;

/** Both paths of src/test/resources/bpmn/segment-branch.bpmn: the "Check segment" task's answer picks the branch. */
@Deployment(resources = "bpmn/segment-branch.bpmn")
class CheckSegmentPathTest extends JourneyPathTestBase {

  @Test
  void aMemberTakesTheVipPath() {
    when(segments.check("vip", profileId)).thenReturn(new Segments.Evaluated(profileId, true, null));

    assertThat(enter()).hasPassed("Task_CheckVipSegment", "EndEvent_VipPath").hasNotPassed("EndEvent_RegularPath").isEnded();
  }

  @Test
  void aNonMemberTakesTheRegularPath() {
    when(segments.check("vip", profileId)).thenReturn(new Segments.Evaluated(profileId, false, null));

    assertThat(enter()).hasPassed("EndEvent_RegularPath").hasNotPassed("EndEvent_VipPath").isEnded();
  }

  private ProcessInstance enter() {
    return runtime().startProcessInstanceByKey("segment-branch", profileId,
        Map.of(Journeys.PROFILE_ID, profileId, "testSegmentKey", "vip"));
  }
}
