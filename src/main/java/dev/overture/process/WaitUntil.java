package dev.overture.process;

import dev.overture.profile.Profile;
import dev.overture.profile.Profiles;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.springframework.stereotype.Component;

/**
 * The Wait templates: the timer catch event's date is {@code ${waitUntil.at(execution)}}, computed when
 * the journey arrives from the element's properties: a duration, a date, or the next occurrence of a
 * local time in the profile's time zone (attribute {@code timezone}, UTC when absent).
 */
@Component("waitUntil")
public class WaitUntil {

  private final Profiles profiles;

  WaitUntil(Profiles profiles) {
    this.profiles = profiles;
  }

  /** The due date of the wait the execution has just entered. */
  public Date at(DelegateExecution execution) {
    Map<String, String> p = properties(execution);
    String id = execution.getCurrentActivityId();
    Instant now = Instant.now();
    Instant due = switch (p.getOrDefault("waitMode", "")) {
      case "duration" -> plus(now, p.get("waitDuration"), id);
      case "date" -> OffsetDateTime.parse(p.get("waitDate")).toInstant();
      case "localTime" -> nextLocal(now, LocalTime.parse(p.get("localTime")), zoneOf(Variables.profileId(execution)));
      default -> throw new IllegalStateException("Wait '" + id + "' needs waitMode duration, date or localTime");
    };
    return Date.from(due);
  }

  static Instant plus(Instant now, String iso, String id) {
    try {
      var duration = DatatypeFactory.newInstance().newDuration(iso);
      Date date = Date.from(now);
      duration.addTo(date);
      return date.toInstant();
    } catch (IllegalArgumentException | NullPointerException | DatatypeConfigurationException e) {
      throw new IllegalStateException("Wait '" + id + "': '" + iso + "' is not an ISO 8601 duration");
    }
  }

  static Instant nextLocal(Instant now, LocalTime at, ZoneId zone) {
    ZonedDateTime candidate = now.atZone(zone).with(at);
    return (candidate.toInstant().isAfter(now) ? candidate : candidate.plusDays(1)).toInstant();
  }

  private ZoneId zoneOf(String profileId) {
    Object tz = profiles.find(profileId).map(Profile::attributes).map(a -> a.get("timezone")).orElse(null);
    try {
      return tz == null ? ZoneId.of("UTC") : ZoneId.of(tz.toString());
    } catch (DateTimeException e) {
      return ZoneId.of("UTC");
    }
  }

  private static Map<String, String> properties(DelegateExecution execution) {
    BaseElement element = (BaseElement) execution.getBpmnModelElementInstance();
    return element.getExtensionElements().getElementsQuery().filterByType(CamundaProperties.class).list().stream()
        .flatMap(ps -> ps.getCamundaProperties().stream())
        .filter(cp -> cp.getCamundaName() != null && cp.getCamundaValue() != null)
        .collect(Collectors.toMap(CamundaProperty::getCamundaName, CamundaProperty::getCamundaValue, (a, b) -> b));
  }
}
