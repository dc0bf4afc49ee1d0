package dev.overture.delivery.internal;

import dev.overture.platform.ApiProblem;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** Who may approve creatives over the API: Camunda users in the configured group; API keys never. */
@Component
public class CreativeApprovers {

  private final IdentityService identity;
  private final DeliveryProperties props;

  CreativeApprovers(IdentityService identity, DeliveryProperties props) {
    this.identity = identity;
    this.props = props;
  }

  public void requireApprover(String caller) {
    String group = props.creatives().approverGroup();
    boolean person = caller.startsWith("user:");
    if (!person || identity.createGroupQuery().groupMember(caller.substring(5)).groupId(group).count() == 0) {
      throw new ApiProblem(HttpStatus.FORBIDDEN, "not-an-approver", "Forbidden",
          "Approving creatives needs a person in the Camunda group '" + group + "'" + (person ? "" : "; API keys cannot approve"));
    }
  }
}
