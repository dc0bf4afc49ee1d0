package dev.overture.process;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.delivery.Deliveries;
import dev.overture.delivery.Origin;
import dev.overture.event.Events;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Send message": queues the message in the outbox within this step's transaction. Sending,
 * and the consent re-check at send time, belong to the delivery flows. Channel {@code preferred}
 * uses the profile's preferred channel, then {@code fallbackChannels} (e.g. "sms,email") in order;
 * channel {@code audience} adds to or removes from the audience named by creativeKey ({@code audienceAction}).
 * The message is rendered from what is true now: the profile, the event the journey last waited for
 * (variable {@code eventId}) and the journey variables named in {@code templateVariables}; the outbox row
 * keeps them. It sets no variable: the outbox row names the instance and the activity it came from.
 */
@Component("sendMessage")
class SendMessageDelegate implements JavaDelegate {

  private final Deliveries deliveries;
  private final Events events;

  SendMessageDelegate(Deliveries deliveries, Events events) {
    this.deliveries = deliveries;
    this.events = events;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String profileId = Variables.profileId(execution);
    String channel = Variables.required(execution, "channel");
    Purpose purpose = Consents.purpose(Variables.optional(execution, "purpose", "marketing"));
    String creativeKey = Variables.required(execution, "creativeKey");
    Origin origin = new Origin(Variables.journeyKey(execution),
        execution.getProcessInstanceId(), execution.getCurrentActivityId());
    if (Variables.dryRun(execution)) {
      deliveries.suppressDryRun(profileId, channel, purpose, creativeKey, origin);
      return;
    }
    if (Channel.AUDIENCE.key().equals(channel)) {
      boolean add = !"remove".equals(Variables.optional(execution, "audienceAction", "add"));
      deliveries.enqueueAudience(profileId, creativeKey, add, purpose, origin);
      return;
    }
    Deliveries.Moment moment = moment(execution);
    if (Deliveries.PREFERRED.equals(channel)) {
      List<Channel> fallbacks = names(Variables.optional(execution, "fallbackChannels", "email")).stream()
          .map(Consents::channel).toList();
      deliveries.enqueuePreferred(profileId, fallbacks, purpose, creativeKey, origin, moment);
    } else {
      deliveries.enqueue(profileId, Consents.channel(channel), purpose, creativeKey, origin, moment);
    }
  }

  private Deliveries.Moment moment(DelegateExecution execution) {
    return Moments.of(events, execution::getVariable, Variables.optional(execution, "templateVariables", ""));
  }

  private static List<String> names(String commaSeparated) {
    return Moments.names(commaSeparated);
  }
}
