package dev.overture.process;

import dev.overture.consent.Consents;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Check consent": sets a boolean result variable saying whether the channel and purpose may be used.
 * With {@code resultLifetime} {@code transient} the result is a transient variable: the gateway right after
 * the task reads it, and it is gone at the next wait instead of being a row for the rest of the journey.
 */
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
    boolean keepOnlyUntilWait = "transient".equals(Variables.optional(execution, "resultLifetime", "journey"));
    execution.setVariable(result, org.camunda.bpm.engine.variable.Variables.booleanValue(allowed, keepOnlyUntilWait));
  }
}
