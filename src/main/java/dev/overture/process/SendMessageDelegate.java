package dev.overture.process;

import dev.overture.consent.Consents;
import dev.overture.delivery.Deliveries;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Send message": queues the message in the outbox within this step's transaction. Sending,
 * and the consent re-check at send time, belong to the delivery flows.
 */
@Component("sendMessage")
class SendMessageDelegate implements JavaDelegate {

  private final Deliveries deliveries;

  SendMessageDelegate(Deliveries deliveries) {
    this.deliveries = deliveries;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String outboxId = deliveries.enqueue(
        Variables.profileId(execution),
        Consents.channel(Variables.required(execution, "channel")),
        Consents.purpose(Variables.optional(execution, "purpose", "marketing")),
        Variables.required(execution, "creativeKey"),
        new Deliveries.Origin(execution.getProcessDefinitionId().split(":")[0], execution.getProcessInstanceId(),
            execution.getCurrentActivityId()));
    execution.setVariable("lastOutboxId", outboxId);
  }
}
