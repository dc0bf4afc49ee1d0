package dev.overture.journey;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.overture.platform.ApiKeys;
import dev.overture.support.AppTestBase;
import dev.overture.support.TestJourneys;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The journey and message metrics on /actuator/prometheus after a journey sent its email, and who may read them. */
class JourneyMetricsTest extends AppTestBase {

  @Autowired ApiKeys keys;
  @Autowired RepositoryService repository;
  @Autowired JdbcClient jdbc;

  private String metricsKey;

  @Test
  void entriesStepsMessagesAndDispatchLagCountExactlyWhatHappened() {
    // a journey of this test's own: its entry and step counters move for nothing else
    String journey = TestJourneys.deploy(repository, "count-nowhere.bpmn", "metrics");
    String profileId = createProfile(uniqueEmail("metrics"), "Mia");
    setConsent(profileId, "email", "marketing", "granted");
    // the message counters are per channel, for every journey: start when no other email is about to go out
    await().atMost(Duration.ofSeconds(60)).until(() -> emailsAboutToGoOut() == 0);
    Instant since = Instant.now();
    String before = prometheus();

    api().body(Map.of("profileId", profileId)).post("/api/journeys/{key}/entries", journey).then().statusCode(201);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get("/api/deliveries?profileId={id}", profileId)
        .then().statusCode(200).body("[0].status", equalTo("sent")));

    String entered = "overture_journeys_entered_total{journey=\"" + journey + "\"}";
    String sendStep = "overture_journey_steps_completed_total{element=\"Task_SendEmail\",journey=\"" + journey + "\"}";
    String sent = "overture_messages_total{channel=\"email\",outcome=\"sent\"}";
    String lag = "overture_outbox_dispatch_lag_seconds_count{channel=\"email\"}";
    // the journey log counts after its commit: the counters may lag the delivery by a moment, never overshoot it
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      String after = prometheus();
      assertThat(value(after, entered) - value(before, entered)).as(entered).isEqualTo(1);
      assertThat(value(after, sendStep) - value(before, sendStep)).as(sendStep).isEqualTo(1);
      // one per email sent meanwhile, as the outbox records them: this test's one, and any other that was due
      long emailsSent = emailsSentSince(since);
      assertThat(emailsSent).as("emails the outbox sent meanwhile, this test's one among them").isGreaterThanOrEqualTo(1);
      assertThat(value(after, sent) - value(before, sent)).as(sent).isEqualTo(emailsSent);
      assertThat(value(after, lag) - value(before, lag)).as(lag).isEqualTo(emailsSent);
      assertThat(after).contains("overture_outbox_dispatch_lag_seconds_max{channel=\"email\"}");
    });
  }

  /** Emails waiting in the outbox that are due within a minute, or being sent. */
  private long emailsAboutToGoOut() {
    return jdbc.sql("SELECT COUNT(*) FROM outbox_message WHERE channel = 'email' AND status IN ('pending', 'sending') AND due_at < ?")
        .param(Timestamp.from(Instant.now().plus(Duration.ofMinutes(1)))).query(Long.class).single();
  }

  private long emailsSentSince(Instant since) {
    return jdbc.sql("SELECT COUNT(*) FROM outbox_message WHERE channel = 'email' AND status = 'sent' AND sent_at >= ?")
        .param(Timestamp.from(since)).query(Long.class).single();
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
