package dev.overture.campaign.internal;

import static org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT;

import java.util.List;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The groups of the approval process, created at start-up when missing, with what Tasklist needs
 * under authorization: app access, the task filters and the launch process. Tasks themselves are
 * granted per task by the engine to their candidate group or assignee.
 */
@Component
class ApproverGroups {

  static final List<String> GROUPS = List.of("creative-reviewers", "compliance-officers", "marketers",
      "creative-reviewers-lead", "compliance-officers-lead");

  private static final Logger log = LoggerFactory.getLogger(ApproverGroups.class);

  private final IdentityService identity;
  private final AuthorizationService authorizations;

  ApproverGroups(IdentityService identity, AuthorizationService authorizations) {
    this.identity = identity;
    this.authorizations = authorizations;
  }

  @EventListener(ApplicationReadyEvent.class)
  void ensure() {
    for (String groupId : GROUPS) {
      if (identity.createGroupQuery().groupId(groupId).count() > 0) {
        continue;
      }
      Group group = identity.newGroup(groupId);
      group.setName(switch (groupId) {
        case "creative-reviewers" -> "Creative reviewers";
        case "compliance-officers" -> "Compliance officers";
        case "creative-reviewers-lead" -> "Creative reviewers: leads (escalations)";
        case "compliance-officers-lead" -> "Compliance officers: leads (escalations)";
        default -> "Marketers";
      });
      group.setType("WORKFLOW");
      identity.saveGroup(group);
      grant(groupId, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
      grant(groupId, Resources.FILTER, "*", Permissions.READ);
      grant(groupId, Resources.PROCESS_DEFINITION, "campaign-launch", Permissions.READ);
      grant(groupId, Resources.DEPLOYMENT, "*", Permissions.READ);
      log.info("Created group '{}' with Tasklist access", groupId);
    }
  }

  private void grant(String groupId, Resource resource, String resourceId, Permission permission) {
    var auth = authorizations.createNewAuthorization(AUTH_TYPE_GRANT);
    auth.setGroupId(groupId);
    auth.setResource(resource);
    auth.setResourceId(resourceId);
    auth.addPermission(permission);
    authorizations.saveAuthorization(auth);
  }
}
