package dev.overture.journey.internal;

import dev.overture.journey.Journeys;
import dev.overture.profile.Profiles;
import dev.overture.profile.ProfilesMerged;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
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
  private final HistoryService history;
  private final JdbcClient jdbc;
  private final Profiles profiles;

  JourneyMerges(RuntimeService runtime, HistoryService history, JdbcClient jdbc, Profiles profiles) {
    this.runtime = runtime;
    this.history = history;
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
    List<HistoricProcessInstance> running = new ArrayList<>();
    for (String key : keys) {
      List<String> ids = runtime.createProcessInstanceQuery().processInstanceBusinessKey(key).list().stream()
          .map(ProcessInstance::getId).toList();
      if (!ids.isEmpty()) {
        running.addAll(history.createHistoricProcessInstanceQuery().processInstanceIds(new java.util.HashSet<>(ids)).list());
      }
    }
    Map<String, List<HistoricProcessInstance>> byJourney = running.stream()
        .collect(Collectors.groupingBy(HistoricProcessInstance::getProcessDefinitionKey));
    byJourney.forEach((journey, instances) -> {
      List<HistoricProcessInstance> oldestFirst = instances.stream()
          .sorted(Comparator.comparing(HistoricProcessInstance::getStartTime).thenComparing(HistoricProcessInstance::getId))
          .toList();
      for (HistoricProcessInstance younger : oldestFirst.subList(1, oldestFirst.size())) {
        runtime.deleteProcessInstance(younger.getId(),
            "profile " + merged.mergedId() + " merged into " + survivor + ": duplicate instance of journey " + journey);
        log.info("Ended instance {} of journey {} after merging profile {} into {}", younger.getId(), journey,
            merged.mergedId(), survivor);
      }
      String kept = oldestFirst.get(0).getId();
      runtime.setVariable(kept, Journeys.PROFILE_ID, survivor);
    });
  }
}
