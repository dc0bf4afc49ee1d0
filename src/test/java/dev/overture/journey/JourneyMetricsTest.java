package dev.overture.journey;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.overture.platform.ApiKeys;
import dev.overture.support.AppTestBase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The journey and message metrics on /actuator/prometheus after the welcome journey sent its email, and who may read them. */
class JourneyMetricsTest extends AppTestBase {

  @Autowired ApiKeys keys;

  private String metricsKey;

  @Test
  void entriesStepsMessagesAndDispatchLagReachPrometheus() {
    String before = prometheus();
    String profileId = createProfile(uniqueEmail("metrics"), "Mia");
    setConsent(profileId, "email", "marketing", "granted");

    api().body(Map.of("profileId", profileId)).post("/api/journeys/welcome/entries").then().statusCode(201);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get("/api/deliveries?profileId={id}", profileId)
        .then().statusCode(200).body("[0].status", equalTo("sent")));

    String after = prometheus();
    String entered = "overture_journeys_entered_total{journey=\"welcome\"}";
    String sendStep = "overture_journey_steps_completed_total{element=\"Task_SendWelcomeEmail\",journey=\"welcome\"}";
    String sent = "overture_messages_total{channel=\"email\",outcome=\"sent\"}";
    String lag = "overture_outbox_dispatch_lag_seconds_count{channel=\"email\"}";
    assertThat(value(after, entered) - value(before, entered)).as(entered).isGreaterThanOrEqualTo(1);
    assertThat(value(after, sendStep) - value(before, sendStep)).as(sendStep).isGreaterThanOrEqualTo(1);
    assertThat(value(after, sent) - value(before, sent)).as(sent).isGreaterThanOrEqualTo(1);
    assertThat(value(after, lag) - value(before, lag)).as(lag).isGreaterThanOrEqualTo(1);
    assertThat(after).contains("overture_outbox_dispatch_lag_seconds_max{channel=\"email\"}");
  }

  @Test
  void metricsNeedAMetricsKeyOrAnAdminWhileHealthStaysOpen() {
    given().get("/actuator/prometheus").then().statusCode(401).contentType("application/problem+json")
        .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("Bearer"));
    String events = keys.create("metrics test events " + java.util.UUID.randomUUID(), List.of("events:write")).key();
    given().header("Authorization", "Bearer " + events).get("/actuator/prometheus")
        .then().statusCode(403).contentType("application/problem+json")
        .body("detail", org.hamcrest.Matchers.containsString("scope metrics"));
    given().auth().preemptive().basic(SEGMENT_WRITE_KEY, "").get("/actuator/prometheus").then().statusCode(403);
    given().header("Authorization", "Bearer " + API_KEY).get("/actuator/prometheus").then().statusCode(200);
    given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD).get("/actuator/prometheus").then().statusCode(200);
    prometheus();

    given().get("/actuator/info").then().statusCode(401);
    given().get("/actuator/health").then().statusCode(200).body("status", equalTo("UP"));
    given().get("/actuator/health/readiness").then().statusCode(200);
    given().get("/actuator/health/liveness").then().statusCode(200);
  }

  private String prometheus() {
    if (metricsKey == null) {
      metricsKey = keys.create("metrics test scraper " + java.util.UUID.randomUUID(), List.of("metrics")).key();
    }
    return given().header("Authorization", "Bearer " + metricsKey).get("/actuator/prometheus")
        .then().statusCode(200).extract().asString();
  }

  /** The sample's value, 0 when the series does not exist yet. */
  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
