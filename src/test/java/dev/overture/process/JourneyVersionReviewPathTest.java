package dev.overture.process;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overture.platform.FourEyesViolation;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The path of bpmn/journey-version-review.bpmn with its task listener as a Mockito mock: one task for
 * compliance-officers, ended by its completion; a refused completion leaves the task open. What the decision does
 * (four eyes, the version's state) is tested in the shared app: {@code JourneyVersionsTest}.
 */
@Deployment(resources = "bpmn/journey-version-review.bpmn")
class JourneyVersionReviewPathTest extends JourneyPathTestBase {

  private final TaskListener journeyVersionTask = mock(TaskListener.class);

  @BeforeEach
  void reviewListener() {
    Mocks.register("journeyVersionTask", journeyVersionTask);
  }

  @Test
  void aCompletedReviewEndsTheProcess() {
    ProcessInstance pi = requested();
    assertThat(pi).isWaitingAt("Task_ReviewJourneyVersion");
    assertThat(task(pi)).hasCandidateGroup("compliance-officers");

    complete(task(pi), withVariables("versionDecision", "approve"));

    assertThat(pi).hasPassed("Task_ReviewJourneyVersion").isEnded().hasPassed("EndEvent_Reviewed");
    verify(journeyVersionTask, times(2)).notify(any(DelegateTask.class));
  }

  @Test
  void aRefusedCompletionLeavesTheReviewOpen() {
    ProcessInstance pi = requested();
    doThrow(new FourEyesViolation("Four-eyes rule")).when(journeyVersionTask).notify(org.mockito.ArgumentMatchers.argThat(
        (DelegateTask t) -> TaskListener.EVENTNAME_COMPLETE.equals(t.getEventName())));

    assertThatThrownBy(() -> complete(task(pi), withVariables("versionDecision", "approve")))
        .hasRootCauseInstanceOf(FourEyesViolation.class);
    assertThat(pi).isWaitingAt("Task_ReviewJourneyVersion");
  }

  private ProcessInstance requested() {
    return runtime().startProcessInstanceByKey("journey-version-review", "welcome:2",
        Map.of("journeyKey", "welcome", "version", 2));
  }
}
