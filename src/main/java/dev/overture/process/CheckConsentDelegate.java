package dev.overture.process;

import dev.overture.consent.Consents;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Check consent": sets a boolean result variable saying whether the channel and purpose may be used. */
@Component("checkConsent")
class CheckConsentDelegate implements JavaDelegate {

  private final Consents consents;

  CheckConsentDelegate(Consents consents) {
    this.consents = consents;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String profileId = Variables.profileId(execution);
    boolean allowed = consents.allows(profileId,
        Consents.channel(Variables.required(execution, "channel")),
        Consents.purpose(Variables.required(execution, "purpose")));
    String result = Variables.optional(execution, "resultVariable", "hasConsent");
    execution.setVariable(result, allowed);
  }
}
