package dev.overture.journey.internal;

import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;

/**
 * Whether a journey is marketing, as its Send steps say: the {@code purpose} each Send template sets, marketing when
 * absent, as the delivery treats it. One marketing Send makes the journey marketing; an expression counts as
 * marketing, since it may be.
 */
final class JourneyPurposes {

  /** The purpose of a Send that the journey cap leaves alone (consent's {@code Purpose.TRANSACTIONAL} key). */
  static final String TRANSACTIONAL = "transactional";

  private JourneyPurposes() {}

  static boolean sendsMarketing(BpmnModelInstance model) {
    for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
      String purpose = DeployedJourneyChannels.input(task, "purpose");
      if (JourneyRules.SEND_MESSAGE.equals(task.getCamundaDelegateExpression())
          && (purpose == null || !TRANSACTIONAL.equals(purpose.trim()))) {
        return true;
      }
    }
    return false;
  }
}
