package dev.overture.journey.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The journey log's Prometheus counters, moved once a transaction has committed what they count (a rolled-back
 * step counts nowhere): instances entered per journey, steps completed per journey and element.
 */
@Component
class JourneyLogMetrics {

  private final MeterRegistry meters;

  JourneyLogMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  void entered(Map<String, Long> byJourney) {
    byJourney.forEach((journey, n) -> {
      if (n > 0) {
        Counter.builder("overture.journeys.entered").description("Journey instances started").tag("journey", journey)
            .register(meters).increment(n);
      }
    });
  }

  void stepsCompleted(Map<List<String>, Long> byJourneyAndElement) {
    byJourneyAndElement.forEach((journeyAndElement, n) -> {
      if (n > 0) {
        Counter.builder("overture.journey.steps.completed").description("Journey steps (BPMN elements) completed")
            .tag("journey", journeyAndElement.get(0)).tag("element", journeyAndElement.get(1)).register(meters).increment(n);
      }
    });
  }
}
