package dev.overture.platform;

import static org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The groups that may read journeys through the API may open them in Cockpit too, where the analytics
 * plugin draws the same numbers on the diagram: Cockpit access and read on process definitions, granted at
 * start-up when missing. Instances stay out of it (no read on process instances): the plugin's counts come
 * from Overture's API, and an instance list would show every customer's journey to each marketer.
 */
@Component
class CockpitReaders {

  private static final Logger log = LoggerFactory.getLogger(CockpitReaders.class);

  private final AuthorizationService authorizations;
  private final AccessRules rules;

  CockpitReaders(AuthorizationService authorizations, AccessRules rules) {
    this.authorizations = authorizations;
    this.rules = rules;
  }

  @EventListener(ApplicationReadyEvent.class)
  void ensure() {
    for (String group : rules.journeyReaders()) {
      grantOnce(group, Resources.APPLICATION, "cockpit", Permissions.ACCESS);
      grantOnce(group, Resources.PROCESS_DEFINITION, "*", Permissions.READ);
    }
  }

  private void grantOnce(String groupId, Resource resource, String resourceId, Permission permission) {
    // one row per group, resource and id (the engine's unique key): add to the row when there is one
    Authorization auth = authorizations.createAuthorizationQuery().authorizationType(AUTH_TYPE_GRANT).groupIdIn(groupId)
        .resourceType(resource).resourceId(resourceId).singleResult();
    if (auth != null && auth.isPermissionGranted(permission)) {
      return;
    }
    if (auth == null) {
      auth = authorizations.createNewAuthorization(AUTH_TYPE_GRANT);
      auth.setGroupId(groupId);
      auth.setResource(resource);
      auth.setResourceId(resourceId);
    }
    auth.addPermission(permission);
    authorizations.saveAuthorization(auth);
    log.info("Granted group '{}' {} on {} '{}' for Cockpit", groupId, permission.getName(), resource.resourceName(), resourceId);
  }
}
