package dev.overture.journey;

import dev.overture.campaign.CampaignFixtures;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.task.Task;

/** A journey version's review as Tasklist does it: the open task, decided by a user signed in with their groups. */
final class VersionReviewFixtures {

  private VersionReviewFixtures() {}

  /** The open review of one of the journey's versions. */
  static Task reviewTask(TaskService tasks, String journeyKey) {
    return tasks.createTaskQuery().processDefinitionKey(JourneyVersions.REVIEW_PROCESS)
        .processInstanceBusinessKeyLike(journeyKey + ":%").singleResult();
  }

  /** Claims and completes the review as {@code user}, signed in as Tasklist would be. */
  static void decide(TaskService tasks, IdentityService identity, Task task, String user, String decision, String comment) {
    identity.setAuthentication(user, identity.createGroupQuery().groupMember(user).list().stream().map(Group::getId).toList());
    try {
      tasks.setAssignee(task.getId(), user);
      Map<String, Object> vars = new HashMap<>();
      vars.put("versionDecision", decision);
      vars.put("versionComment", comment);
      tasks.complete(task.getId(), vars);
    } finally {
      identity.clearAuthentication();
    }
  }

  /** Submits the draft and has a new compliance officer approve it. */
  static void approve(JourneyVersions versions, TaskService tasks, IdentityService identity, String journeyKey, int version) {
    versions.submit(journeyKey, version, "user:modeler");
    decide(tasks, identity, reviewTask(tasks, journeyKey), CampaignFixtures.user(identity, "officer", "compliance-officers"),
        JourneyVersions.APPROVE, null);
  }
}
