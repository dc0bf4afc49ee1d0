package dev.overture.profile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Profile attributes that change how Overture treats the customer rather than describe them: {@code testProfile}
 * sends their messages to the file outbox and shrinks their waits. Only callers trusted with a customer's treatment
 * set them ({@code POST /api/profiles} with {@code profiles:write} or {@code admin}, a marketer through
 * {@code PUT /api/profiles/{profileId}/test-profile}); every other way in (the Segment API and its public write key,
 * {@code events:write} events, AMQP, a journey's Update profile step) drops them here, counts each drop in
 * {@code overture.reserved.attributes.dropped} and logs the first one of each source.
 */
@Component
public class ReservedAttributes {

  private static final Logger log = LoggerFactory.getLogger(ReservedAttributes.class);

  /** Marks a profile whose journeys are walked for testing ({@link TestProfiles}). */
  public static final String TEST_PROFILE = TestProfiles.ATTRIBUTE;

  /** Every reserved name; docs/events.md says why each one is and why the other attributes Overture reads are not. */
  public static final Set<String> NAMES = Set.of(TEST_PROFILE);

  private final MeterRegistry meters;
  private final Set<String> loggedSources = ConcurrentHashMap.newKeySet();

  ReservedAttributes(MeterRegistry meters) {
    this.meters = meters;
  }

  /**
   * The values without the reserved names (the same map when it has none). {@code source} says where they came
   * from ({@code segment}, {@code api}, {@code amqp}, {@code journey}): the counter's tag and the log's subject.
   */
  public Map<String, Object> withoutReserved(Map<String, Object> values, String source) {
    if (values == null || values.isEmpty() || NAMES.stream().noneMatch(values::containsKey)) {
      return values;
    }
    Map<String, Object> kept = new LinkedHashMap<>(values);
    List<String> dropped = NAMES.stream().filter(values::containsKey).sorted().toList();
    dropped.forEach(name -> {
      kept.remove(name);
      Counter.builder("overture.reserved.attributes.dropped")
          .description("Reserved profile attributes dropped because their source may not set them")
          .tag("source", source).tag("attribute", name)
          .register(meters).increment();
    });
    if (loggedSources.add(source)) {
      log.warn("Dropped reserved profile attribute(s) {} sent through {}: only profiles:write, admin or marketers may set "
          + "them (docs/events.md, reserved attributes); later drops from {} are only counted "
          + "(overture_reserved_attributes_dropped_total)", dropped, source, source);
    }
    return kept;
  }
}
