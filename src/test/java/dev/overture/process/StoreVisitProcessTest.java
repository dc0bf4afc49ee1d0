package dev.overture.process;

import dev.overture.support.JourneyRuns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

/** bpmn/store-visit.bpmn: a store.entered geofence event sends one welcome offer push per seven days. */
class StoreVisitProcessTest extends JourneyProcessTestBase {

  @Test
  void storeVisitSendsAWelcomeOfferPushAtMostOncePerSevenDays() {
    String profileId = consentingProfile(Map.of());

    send("store.entered", profileId, Map.of("storeId", "berlin-mitte"));
    assertThat(JourneyRuns.endElements(jdbc, "store-visit", java.util.List.of(profileId))).containsExactly("EndEvent_OfferSent");
    assertThat(creativesSentTo(profileId)).containsExactly("store-welcome-offer");
    assertThat(instance("store-visit", profileId)).as("ended in the event's transaction").isNull();

    send("store.entered", profileId, Map.of("storeId", "berlin-mitte"));
    send("store.entered", profileId, Map.of("storeId", "hamburg"));

    assertThat(instancesEver("store-visit", profileId)).isEqualTo(1);
    assertThat(creativesSentTo(profileId)).containsExactly("store-welcome-offer");
  }

  @Test
  void restEntryRefusedByTheReentryRuleIsA409Problem() {
    String profileId = consentingProfile(Map.of());
    send("store.entered", profileId, Map.of("storeId", "berlin-mitte"));

    api().body(Map.of("profileId", profileId)).post("/api/journeys/store-visit/entries")
        .then().statusCode(409).contentType("application/problem+json")
        .body("type", containsString("reentry-refused"))
        .body("detail", containsString("after:PT168H"));
    assertThat(instancesEver("store-visit", profileId)).isEqualTo(1);
  }
}
