package dev.overture.journey.internal;

import dev.overture.journey.JourneyCapProperties;
import dev.overture.journey.JourneyCapReached;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.NativeProcessInstanceQuery;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.stereotype.Component;

/**
 * The journey cap: a profile is in at most {@code overture.journeys.max-concurrent-marketing} marketing journeys at
 * once. An entry into a marketing journey at the cap is refused ({@link JourneyCapReached}, counted under
 * {@code overture.journeys.entries.refused} with reason {@code journey-cap}), unless preemption is on and a running one
 * has a lower {@code overture:priority}: the lowest is ended to make room. Transactional
 * journeys neither count nor are capped. The caller holds the profile's lock, so two entries of one profile decide in
 * turn, each seeing the other's instance. Without a cap this costs nothing.
 */
@Component
public class JourneyCap {

  /** The delete reason of an instance that a higher-priority entry ended; the journey log counts it as cancelled. */
  public static final String PREEMPTED = "journey cap: ended for a journey of higher priority";

  private final JourneyCapProperties props;
  private final JourneyDefinitions definitions;
  private final RuntimeService runtime;
  private final ManagementService management;
  private final MeterRegistry meters;

  JourneyCap(JourneyCapProperties props, JourneyDefinitions definitions, RuntimeService runtime, ManagementService management,
      MeterRegistry meters) {
    this.props = props;
    this.definitions = definitions;
    this.runtime = runtime;
    this.management = management;
    this.meters = meters;
  }

  /** One running marketing journey of the profile. */
  record Running(String instanceId, String journeyKey, int priority) {}

  /** Whether this entry is capped at all: a cap is set and the journey is marketing. */
  boolean applies(JourneyDefinitions.Definition entering) {
    return props.getMaxConcurrentMarketing() != null && entering.marketing();
  }

  /**
   * Lets the entry in (ending a lower-priority journey first when preemption allows) or throws {@link JourneyCapReached};
   * {@code businessKeys}: the profile's id and the ids merged into it.
   */
  void admit(JourneyDefinitions.Definition entering, String profileId, Supplier<List<String>> businessKeys) {
    if (!applies(entering)) {
      return;
    }
    List<Running> running = new ArrayList<>();
    for (String key : businessKeys.get()) {
      running.addAll(marketing(runtime.createProcessInstanceQuery().processInstanceBusinessKey(key).list()));
    }
    int cap = props.getMaxConcurrentMarketing();
    if (running.size() < cap) {
      return;
    }
    Optional<Running> lowest = running.stream().filter(r -> r.priority() < entering.priority())
        .min(Comparator.comparingInt(Running::priority).thenComparing(Running::instanceId));
    if (props.isCapPreempts() && lowest.isPresent() && running.size() == cap) {
      runtime.deleteProcessInstance(lowest.get().instanceId(), PREEMPTED);
      return;
    }
    count(entering.key());
    List<String> journeys = running.stream().map(Running::journeyKey).sorted().toList();
    throw new JourneyCapReached("Profile " + profileId + " is in " + running.size() + " marketing journeys " + journeys
        + ", the most overture.journeys.max-concurrent-marketing allows (" + cap + "); journey '" + entering.key()
        + "' (priority " + entering.priority() + ") "
        + (props.isCapPreempts() ? "outranks none of them" : "may not end one (overture.journeys.cap-preempts is false)"),
        cap, journeys);
  }

  /**
   * Of these profiles (id → its business keys), those at the cap, each refused with {@code journey-cap}, decided with
   * one engine query for the whole chunk. An enrollment never ends a running journey: bulk entries wait their turn.
   */
  Map<String, String> refusedAmong(JourneyDefinitions.Definition entering, Map<String, List<String>> businessKeys) {
    Map<String, String> refused = new LinkedHashMap<>();
    if (!applies(entering) || businessKeys.isEmpty()) {
      return refused;
    }
    Map<String, String> profileOfKey = new HashMap<>();
    businessKeys.forEach((id, keys) -> keys.forEach(key -> profileOfKey.put(key, id)));
    List<String> keys = List.copyOf(profileOfKey.keySet());
    NativeProcessInstanceQuery query = runtime.createNativeProcessInstanceQuery().sql("SELECT RES.* FROM "
        + management.getTableName(ProcessInstance.class) + " RES WHERE RES.ID_ = RES.PROC_INST_ID_ AND RES.BUSINESS_KEY_ IN ("
        + placeholders(keys.size()) + ")");
    for (int i = 0; i < keys.size(); i++) {
      query.parameter("p" + i, keys.get(i));
    }
    Map<String, Integer> inJourneys = new HashMap<>();
    List<ProcessInstance> instances = query.list();
    for (ProcessInstance pi : instances) {
      if (!marketing(List.of(pi)).isEmpty()) {
        inJourneys.merge(profileOfKey.get(pi.getBusinessKey()), 1, Integer::sum);
      }
    }
    inJourneys.forEach((id, n) -> {
      if (n >= props.getMaxConcurrentMarketing()) {
        refused.put(id, JourneyCapReached.REASON);
        count(entering.key());
      }
    });
    return refused;
  }

  private List<Running> marketing(List<ProcessInstance> instances) {
    List<Running> out = new ArrayList<>();
    for (ProcessInstance pi : instances) {
      definitions.byId(pi.getProcessDefinitionId()).filter(JourneyDefinitions.Definition::marketing)
          .ifPresent(d -> out.add(new Running(pi.getId(), d.key(), d.priority())));
    }
    return out;
  }

  private static String placeholders(int n) {
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < n; i++) {
      in.append(i == 0 ? "" : ", ").append("#{p").append(i).append('}');
    }
    return in.toString();
  }

  private void count(String journeyKey) {
    Counter.builder("overture.journeys.entries.refused").description("Entries a journey refused, by reason")
        .tag("journey", journeyKey).tag("reason", JourneyCapReached.REASON).register(meters).increment();
  }
}
