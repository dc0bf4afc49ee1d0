package dev.overture.platform;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** The group whose rights exist only in {@link AccessRules} (no Tasklist work): created at start-up when missing. */
@Component
class AccessGroups {

  private static final Logger log = LoggerFactory.getLogger(AccessGroups.class);

  private final IdentityService identity;

  AccessGroups(IdentityService identity) {
    this.identity = identity;
  }

  @EventListener(ApplicationReadyEvent.class)
  void ensure() {
    if (identity.createGroupQuery().groupId(AccessRules.PRIVACY_OFFICERS).count() > 0) {
      return;
    }
    Group group = identity.newGroup(AccessRules.PRIVACY_OFFICERS);
    group.setName("Privacy officers");
    group.setType("WORKFLOW");
    identity.saveGroup(group);
    log.info("Created group '{}'", AccessRules.PRIVACY_OFFICERS);
  }
}
