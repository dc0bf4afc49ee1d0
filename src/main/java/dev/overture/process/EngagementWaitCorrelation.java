package dev.overture.process;

import dev.overture.delivery.EngagementWaits;
import dev.overture.delivery.Engagements;
import dev.overture.journey.Journeys;
import java.util.List;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.EventSubscription;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ends a "Wait for engagement" (a message catch named {@link Engagements#MESSAGE} whose {@code engagementStep} names
 * the Send step) when that step's message of the same instance was first opened, clicked, unsubscribed from or bounced.
 * Delivered to the waiting execution itself ({@code messageEventReceived}), never by business key, so only this
 * instance and only a wait for this step moves. Its own transaction: nobody waiting, or the wait ended meanwhile by
 * its timer or another hit, is a normal outcome, and the Split on engagement after the wait reads the outbox anyway.
 */
@Component
class EngagementWaitCorrelation implements EngagementWaits {

  private static final Logger log = LoggerFactory.getLogger(EngagementWaitCorrelation.class);

  private final RuntimeService runtime;
  private final RepositoryService repository;
  private final Journeys journeys;
  private final TransactionTemplate tx;

  EngagementWaitCorrelation(RuntimeService runtime, RepositoryService repository, Journeys journeys,
      PlatformTransactionManager transactions) {
    this.runtime = runtime;
    this.repository = repository;
    this.journeys = journeys;
    this.tx = new TransactionTemplate(transactions);
    // also when told after another transaction's commit, whose resources are still bound to the thread
    this.tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  @Override
  public boolean anyWaits() {
    return journeys.anyWaitsFor(Engagements.MESSAGE);
  }

  @Override
  public void engaged(String processInstanceId, String stepId, String outcome) {
    try {
      boolean ended = Boolean.TRUE.equals(tx.execute(s -> deliver(processInstanceId, stepId)));
      if (ended) {
        log.debug("Instance {} stopped waiting for engagement with {}: {}", processInstanceId, stepId, outcome);
      }
    } catch (ProcessEngineException e) {
      // the wait ended in between (its timer, a click racing an open) or the journey is paused: its timer decides
      log.info("Instance {} was not moved on by step {}'s {}: {}", processInstanceId, stepId, outcome, e.getMessage());
    }
  }

  private boolean deliver(String processInstanceId, String stepId) {
    List<EventSubscription> waits = runtime.createEventSubscriptionQuery().processInstanceId(processInstanceId)
        .eventType("message").eventName(Engagements.MESSAGE).list();
    if (waits.isEmpty()) {
      return false;
    }
    ProcessInstance instance = runtime.createProcessInstanceQuery().processInstanceId(processInstanceId).singleResult();
    if (instance == null) {
      return false;
    }
    String definitionId = instance.getProcessDefinitionId();
    for (EventSubscription wait : waits) {
      String waitsFor = TaskProperties.of(definitionId, wait.getActivityId(),
          () -> (FlowElement) repository.getBpmnModelInstance(definitionId).getModelElementById(wait.getActivityId()))
          .get(Engagements.STEP_PROPERTY);
      if (stepId.equals(waitsFor == null ? null : waitsFor.trim())) {
        runtime.messageEventReceived(Engagements.MESSAGE, wait.getExecutionId());
        return true;
      }
    }
    return false;
  }
}
