package dev.overture.process;

import dev.overture.delivery.Deliveries;
import dev.overture.event.CustomerEvent;
import dev.overture.event.Events;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a step that renders a template speaks about (a message, an API call's body): the properties of the event the
 * journey last waited for (variable {@code eventId}) and the journey variables the step names, as they are now.
 */
final class Moments {

  private Moments() {}

  /** The moment from the instance's variables ({@code variable}: name → value) and the step's comma-separated names. */
  static Deliveries.Moment of(Events events, Function<String, Object> variable, String templateVariables) {
    Object eventId = variable.apply(dev.overture.journey.Journeys.EVENT_ID);
    Map<String, Object> named = new LinkedHashMap<>();
    for (String name : names(templateVariables)) {
      Object value = variable.apply(name);
      // the context is kept as JSON: dates as ISO instants ({{#date}} reads them), other objects not at all
      if (value instanceof java.util.Date date) {
        named.put(name, date.toInstant().toString());
      } else if (value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Map<?, ?>
          || value instanceof List<?>) {
        named.put(name, value);
      }
    }
    Map<String, Object> event = eventId == null ? Map.of()
        : events.find(eventId.toString()).map(CustomerEvent::properties).orElse(Map.of());
    return new Deliveries.Moment(event, named);
  }

  static List<String> names(String commaSeparated) {
    return commaSeparated == null ? List.of()
        : Arrays.stream(commaSeparated.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
  }
}
