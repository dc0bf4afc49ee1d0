package dev.overture.process;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.delivery.Deliveries;
import java.util.Arrays;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Send message": queues the message in the outbox within this step's transaction. Sending,
 * and the consent re-check at send time, belong to the delivery flows. Channel {@code preferred}
 * uses the profile's preferred channel, then {@code fallbackChannels} (e.g. "sms,email") in order;
 * channel {@code audience} adds to or removes from the audience named by creativeKey ({@code audienceAction}).
 * It sets no variable: the outbox row names the instance and the activity it came from.
 */
@Component("sendMessage")
class SendMessageDelegate implements JavaDelegate {

  private final Deliveries deliveries;

  SendMessageDelegate(Deliveries deliveries) {
    this.deliveries = deliveries;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String profileId = Variables.profileId(execution);
    String channel = Variables.required(execution, "channel");
    Purpose purpose = Consents.purpose(Variables.optional(execution, "purpose", "marketing"));
    String creativeKey = Variables.required(execution, "creativeKey");
    Deliveries.Origin origin = new Deliveries.Origin(Variables.journeyKey(execution),
        execution.getProcessInstanceId(), execution.getCurrentActivityId());
    if (Deliveries.PREFERRED.equals(channel)) {
      List<Channel> fallbacks = Arrays.stream(Variables.optional(execution, "fallbackChannels", "email").split("[,\\s]+"))
          .filter(s -> !s.isBlank()).map(Consents::channel).toList();
      deliveries.enqueuePreferred(profileId, fallbacks, purpose, creativeKey, origin);
    } else if (Channel.AUDIENCE.key().equals(channel)) {
      boolean add = !"remove".equals(Variables.optional(execution, "audienceAction", "add"));
      deliveries.enqueueAudience(profileId, creativeKey, add, purpose, origin);
    } else {
      deliveries.enqueue(profileId, Consents.channel(channel), purpose, creativeKey, origin);
    }
  }
}
