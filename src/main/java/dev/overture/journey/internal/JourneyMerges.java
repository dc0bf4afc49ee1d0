package dev.overture.journey.internal;

import dev.overture.journey.JourneyRun;
import dev.overture.journey.Journeys;
import dev.overture.profile.Profiles;
import dev.overture.profile.ProfilesMerged;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Journeys after an identity merge, in the merge's transaction. Camunda cannot re-key a running
 * instance, so instances keep the merged-away id as business key (an alias that correlation
 * covers) and get {@code profileId} = survivor; where both profiles ran the same journey, the
 * younger instance ends, so the customer gets one message per step.
 */
@Component
class JourneyMerges {

  private static final Logger log = LoggerFactory.getLogger(JourneyMerges.class);

  private final RuntimeService runtime;
  private final JdbcClient jdbc;
  private final Profiles profiles;
  private final JourneyRuns runs;

  JourneyMerges(RuntimeService runtime, JdbcClient jdbc, Profiles profiles, JourneyRuns runs) {
    this.runtime = runtime;
    this.runs = runs;
    this.jdbc = jdbc;
    this.profiles = profiles;
  }

  @EventListener
  void onMerge(ProfilesMerged merged) {
    String survivor = merged.survivorId();
    jdbc.sql("UPDATE journey_entry SET profile_id = ? WHERE profile_id = ?").params(survivor, merged.mergedId()).update();
    List<String> keys = new ArrayList<>();
    keys.add(survivor);
    keys.addAll(profiles.aliasesOf(survivor));
    Set<String> running = new HashSet<>();
    for (String key : keys) {
      runtime.createProcessInstanceQuery().processInstanceBusinessKey(key).list().forEach(pi -> running.add(pi.getId()));
    }
    Map<String, List<JourneyRun>> byJourney = runs.runsOf(keys).stream()
        .filter(r -> running.contains(r.processInstanceId()))
        .collect(Collectors.groupingBy(JourneyRun::journeyKey));
    byJourney.forEach((journey, oldestFirst) -> {
      for (JourneyRun younger : oldestFirst.subList(1, oldestFirst.size())) {
        runtime.deleteProcessInstance(younger.processInstanceId(),
            "profile " + merged.mergedId() + " merged into " + survivor + ": duplicate instance of journey " + journey);
        log.info("Ended instance {} of journey {} after merging profile {} into {}", younger.processInstanceId(), journey,
            merged.mergedId(), survivor);
      }
      runtime.setVariable(oldestFirst.get(0).processInstanceId(), Journeys.PROFILE_ID, survivor);
    });
    // the log names the customer, not the instance's business key: a goal event arrives under the survivor's
    // id. Last, after the engine's rows: a correlation that moves one of these instances writes its log row
    // when it commits, so taking the log rows first would make the two transactions wait on each other
    jdbc.sql("UPDATE journey_run SET profile_id = ? WHERE profile_id = ?").params(survivor, merged.mergedId()).update();
  }
}
