package dev.overture.process;

import dev.overture.profile.Profile;
import dev.overture.profile.Profiles;
import dev.overture.sendtime.SendTimes;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.EventBasedGateway;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.IntermediateCatchEvent;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.springframework.stereotype.Component;

/**
 * The Wait templates: the timer catch event's date is {@code ${waitUntil.at(execution)}}, computed when
 * the journey arrives from the element's properties: a duration, a date, the next occurrence of a
 * local time in the profile's time zone (attribute {@code timezone}, UTC when absent), or the profile's best hour
 * inside a window as its send-time model knows it (the fallback local time while the model is not sure). Behind an event-based
 * gateway the engine creates its events' timers while the journey is at the gateway: the Wait is then the
 * gateway's one Wait event. A test profile's wait is shortened later, as every timer of its journey is.
 */
@Component("waitUntil")
public class WaitUntil {

  private final Profiles profiles;
  private final SendTimes sendTimes;

  WaitUntil(Profiles profiles, SendTimes sendTimes) {
    this.profiles = profiles;
    this.sendTimes = sendTimes;
  }

  /** The due date of the wait the execution has just entered. */
  public Date at(DelegateExecution execution) {
    BaseElement wait = waitOf(execution);
    Map<String, String> p = properties(wait);
    String id = wait.getId();
    Instant now = Instant.now();
    Instant due = switch (p.getOrDefault("waitMode", "")) {
      case "duration" -> plus(now, p.get("waitDuration"), id);
      case "date" -> OffsetDateTime.parse(p.get("waitDate")).toInstant();
      case "localTime" -> nextLocal(now, LocalTime.parse(p.get("localTime")), zoneOf(Variables.profileId(execution)));
      case "bestTime" -> bestTime(Variables.profileId(execution), p, id, now);
      default -> throw new IllegalStateException("Wait '" + id + "' needs waitMode duration, date, localTime or bestTime");
    };
    return Date.from(due);
  }

  /** The profile's best hour inside the window, or the fallback local time while the model is not sure. */
  private Instant bestTime(String profileId, Map<String, String> p, String id, Instant now) {
    Duration window;
    try {
      window = Duration.parse(p.getOrDefault("bestTimeWindow", ""));
    } catch (DateTimeParseException e) {
      throw new IllegalStateException("Wait '" + id + "': window '" + p.get("bestTimeWindow")
          + "' is not an ISO 8601 duration of days, hours or minutes (PT24H, P2D)");
    }
    return sendTimes.bestWithin(profileId, p.getOrDefault("bestTimeChannel", "email"), window)
        .orElseGet(() -> nextLocal(now, LocalTime.parse(p.getOrDefault("fallbackTime", "10:00")), zoneOf(profileId)));
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
    return profiles.find(profileId).map(Profile::timeZone).orElse(ZoneOffset.UTC);
  }

  /** The Wait event whose timer is being created: the execution's element, or the one Wait behind its event-based gateway. */
  private static BaseElement waitOf(DelegateExecution execution) {
    BaseElement element = (BaseElement) execution.getBpmnModelElementInstance();
    if (!(element instanceof EventBasedGateway gateway)) {
      return element;
    }
    // by the sequence flows, which the engine follows too (a diagram need not list a node's outgoing flows)
    List<FlowNode> waits = gateway.getModelInstance().getModelElementsByType(SequenceFlow.class).stream()
        .filter(f -> f.getSource() == gateway).map(SequenceFlow::getTarget)
        .filter(n -> n instanceof IntermediateCatchEvent && properties(n).containsKey("waitMode")).toList();
    if (waits.size() != 1) {
      throw new IllegalStateException("Event-based gateway '" + gateway.getId() + "' leads to " + waits.size()
          + " Wait templates; it can compute the timer of one (draw the others as timers with a duration or date)");
    }
    return waits.get(0);
  }

  private static Map<String, String> properties(BaseElement element) {
    if (element.getExtensionElements() == null) {
      return Map.of();
    }
    return element.getExtensionElements().getElementsQuery().filterByType(CamundaProperties.class).list().stream()
        .flatMap(ps -> ps.getCamundaProperties().stream())
        .filter(cp -> cp.getCamundaName() != null && cp.getCamundaValue() != null)
        .collect(Collectors.toMap(CamundaProperty::getCamundaName, CamundaProperty::getCamundaValue, (a, b) -> b));
  }
}
