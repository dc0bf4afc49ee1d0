package dev.overture.sendtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.journey.Journeys;
import dev.overture.support.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The "Wait for the best time" template in a journey drawn as Modeler writes it: its timer falls on the hour the
 * profile's opens cluster at, inside the window and outside quiet hours, or on the fallback hour without history.
 */
class BestTimeWaitTest extends SendTimeFixtures {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Autowired ProcessEngine engine;
  @Autowired TestClock clock;

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void aProfileWhoseOpensClusterAtSevenPmGetsItsMessageAtSevenPmLocal() {
    String profileId = profileIn("Europe/Berlin");
    espEngagementsAt(profileId, BERLIN, LocalTime.of(19, 0), 14, 3);

    assertWaitsUntilWithinADay(profileId, BERLIN, 19, clock.instant());
  }

  @Test
  void theWaitMovesWithTheTestClockAndStaysInsideItsWindow() {
    String profileId = profileIn("Europe/Berlin");
    espEngagementsAt(profileId, BERLIN, LocalTime.of(19, 0), 14, 3);
    clock.advance(Duration.ofDays(3));

    assertWaitsUntilWithinADay(profileId, BERLIN, 19, clock.instant());
  }

  @Test
  void aProfileWithoutHistoryGetsTheFallbackHour() {
    String profileId = profileIn("Asia/Tokyo");

    assertWaitsUntilWithinADay(profileId, ZoneId.of("Asia/Tokyo"), 10, Instant.now());
  }

  @Test
  void aBestHourInsideQuietHoursIsNotTaken() {
    // quiet hours hold marketing email between 21:00 and 08:00 local
    String profileId = profileIn("Europe/Berlin");
    espEngagementsAt(profileId, BERLIN, LocalTime.of(22, 0), 14, 3);
    assertThat(sendTime(profileId).getString("best[0].localTime")).isEqualTo("22:00");

    Instant due = timerOf(enter(deploy("PT24H", "10:00"), profileId));

    int hour = due.atZone(BERLIN).getHour();
    assertThat(hour).as("due %s", due.atZone(BERLIN)).isBetween(8, 20);
    assertThat(due.atZone(BERLIN).getMinute()).isZero();
  }

  /** Enters a journey whose best-time wait has a day's window and 10:00 as fallback; its timer is due at {@code hour} local. */
  private void assertWaitsUntilWithinADay(String profileId, ZoneId zone, int hour, Instant from) {
    Instant due = timerOf(enter(deploy("PT24H", "10:00"), profileId));

    assertLocalHour(due, zone, hour);
    assertThat(due).isAfter(from).isBefore(from.plus(Duration.ofHours(24)).plusSeconds(60));
  }

  private Instant timerOf(String instanceId) {
    Job timer = engine.getManagementService().createJobQuery().processInstanceId(instanceId).timers().singleResult();
    return timer.getDuedate().toInstant();
  }

  private String enter(String key, String profileId) {
    return engine.getRuntimeService().startProcessInstanceByKey(key, profileId, Map.of(Journeys.PROFILE_ID, profileId)).getId();
  }

  private String deploy(String window, String fallback) {
    String key = "best-time-" + UUID.randomUUID().toString().substring(0, 8);
    engine.getRepositoryService().createDeployment().addString(key + ".bpmn", """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
            id="Definitions_BestTime" targetNamespace="https://overture.dev/test">
          <bpmn:process id="%s" isExecutable="true" camunda:historyTimeToLive="P1D">
            <bpmn:startEvent id="StartEvent_Entered" />
            <bpmn:intermediateCatchEvent id="Event_BestTime" name="Best time" camunda:modelerTemplate="dev.overture.WaitBestTime"
                camunda:modelerTemplateVersion="1">
              <bpmn:extensionElements>
                <camunda:properties>
                  <camunda:property name="waitMode" value="bestTime" />
                  <camunda:property name="bestTimeWindow" value="%s" />
                  <camunda:property name="fallbackTime" value="%s" />
                  <camunda:property name="bestTimeChannel" value="email" />
                </camunda:properties>
              </bpmn:extensionElements>
              <bpmn:timerEventDefinition id="TimerEventDefinition_BestTime">
                <bpmn:timeDate xsi:type="bpmn:tFormalExpression">${waitUntil.at(execution)}</bpmn:timeDate>
              </bpmn:timerEventDefinition>
            </bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="EndEvent_Done" />
            <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_Entered" targetRef="Event_BestTime" />
            <bpmn:sequenceFlow id="Flow_2" sourceRef="Event_BestTime" targetRef="EndEvent_Done" />
          </bpmn:process>
        </bpmn:definitions>
        """.formatted(key, window, fallback)).deploy();
    return key;
  }
}
