package dev.overture.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.support.AppProcess;
import dev.overture.support.AppTest;
import dev.overture.support.AppTestBase;
import dev.overture.support.StandaloneApps;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.File;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The app on a MariaDB of its own that the test stops and starts again: while it is gone every API call
 * answers 503 problem+json with Retry-After within 5 s, nothing is answered 2xx that was not stored, and
 * once it is back the same app answers again.
 */
@Tag(StandaloneApps.TAG)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(StandaloneApps.APP_PROCESSES)
class DatabaseOutageTest {

  private static final Logger log = LoggerFactory.getLogger(DatabaseOutageTest.class);
  private static final File DIR = new File("target/outage-db");
  private static final String DATABASE = "overture_outage_" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");
  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

  private static EmbeddedMariaDb server;
  private static AppProcess app;
  private static int port;

  @BeforeAll
  static void startAppOnItsOwnDatabase() {
    server = EmbeddedMariaDb.start(DIR, 0);
    server.createDatabase(DATABASE);
    // the app tests' settings (quick pollers, the test credentials), but the outbox directory of its own
    String[] args = Arrays.stream(AppTest.class.getAnnotation(SpringBootTest.class).properties())
        .filter(p -> !p.startsWith("overture.delivery.outbox-dir=")).map(p -> "--" + p).toArray(String[]::new);
    // a process of its own: closing an app inside the test JVM would reset the Camunda webapps' JVM-wide state
    // under the shared test context (StandaloneApps)
    app = AppProcess.start("database-outage", server.jdbcUrl(DATABASE), args);
    port = app.port();
  }

  @AfterAll
  static void stopAppThenDatabase() {
    if (app != null) {
      app.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void withTheDatabaseGoneEveryCallAnswers503FastAndTheAppRecoversByItselfWhenItIsBack() throws InterruptedException {
    String profileId = api().body(Map.of("identities", Map.of("email", "outage-" + UUID.randomUUID() + "@example.com")))
        .post("/api/profiles").then().statusCode(201).extract().path("id");
    assertThat(jdbc().sql("SELECT COUNT(*) FROM profile WHERE id = ?").param(profileId).query(Long.class).single())
        .as("the app works on the test's own database").isEqualTo(1);
    Map<String, Supplier<Response>> calls = Map.of(
        "read", () -> api().get("/api/profiles/{id}", profileId),
        "write", () -> api().body(Map.of("identities", Map.of("email", "down-" + UUID.randomUUID() + "@example.com")))
            .post("/api/profiles"),
        "event", () -> api().body(event(profileId)).post("/api/events"),
        "entry", () -> api().body(Map.of("profileId", profileId)).post("/api/journeys/welcome/entries"),
        "person", () -> given().port(port).auth().preemptive().basic(AppTestBase.ADMIN, AppTestBase.ADMIN_PASSWORD)
            .get("/api/profiles/{id}", profileId),
        "segment", () -> given().port(port).auth().preemptive().basic(AppTestBase.SEGMENT_WRITE_KEY, "")
            .contentType(ContentType.JSON).body(Map.of("userId", "u-" + UUID.randomUUID(), "event", "Outage Seen"))
            .post("/v1/track"));
    List<String> acceptedEvents = new CopyOnWriteArrayList<>();
    EventSender sender = new EventSender(profileId, acceptedEvents);
    sender.start();
    try {
      outageAndRecovery(profileId, calls, acceptedEvents);
    } finally {
      sender.stopAndJoin();
    }
    JdbcClient jdbc = jdbc();
    for (String eventId : acceptedEvents) {
      assertThat(jdbc.sql("SELECT COUNT(*) FROM customer_event WHERE event_id = ?").param(eventId).query(Long.class).single())
          .as("event %s was answered 202", eventId).isEqualTo(1);
    }
    assertThat(sender.failures).as("answers other than 202, or 503 problem+json within 5 s").isEmpty();
    assertThat(sender.refused).as("events refused during the outage").isPositive();
    log.info("Events sent throughout: {} answered 202, {} answered 503; slowest answer {} ms",
        acceptedEvents.size(), sender.refused, sender.slowest.toMillis());
  }

  private void outageAndRecovery(String profileId, Map<String, Supplier<Response>> calls, List<String> acceptedEvents) {
    await().atMost(Duration.ofSeconds(30)).until(() -> acceptedEvents.size() >= 3);
    server.close();
    for (Map.Entry<String, Supplier<Response>> call : calls.entrySet()) {
      long started = System.nanoTime();
      Response response = call.getValue().get();
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      log.info("During the outage, the {} call answered {} in {} ms", call.getKey(), response.statusCode(), took.toMillis());
      assertThat(response.statusCode()).as(call.getKey()).isEqualTo(503);
      assertThat(response.contentType()).as(call.getKey()).startsWith("application/problem+json");
      assertThat(response.header("Retry-After")).as(call.getKey()).isEqualTo("5");
      assertThat(response.jsonPath().getString("type")).as(call.getKey()).endsWith("/database-unavailable");
      assertThat(took).as(call.getKey()).isLessThan(ANSWER_WITHIN);
    }

    server = EmbeddedMariaDb.start(DIR, server.port());
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> api().get("/api/profiles/{id}", profileId)
        .then().statusCode(200));
    int acceptedBeforeRecovery = acceptedEvents.size();
    await().atMost(Duration.ofSeconds(30)).until(() -> acceptedEvents.size() >= acceptedBeforeRecovery + 3);
    for (Map.Entry<String, Supplier<Response>> call : calls.entrySet()) {
      assertThat(call.getValue().get().statusCode()).as(call.getKey() + " after recovery").isBetween(200, 299);
    }
  }

  private static JdbcClient jdbc() {
    return JdbcClient.create(new DriverManagerDataSource(server.jdbcUrl(DATABASE), "root", ""));
  }

  private RequestSpecification api() {
    return given().port(port).header("Authorization", "Bearer " + AppTestBase.API_KEY).contentType(ContentType.JSON);
  }

  private static Map<String, Object> event(String profileId) {
    return Map.of("eventId", UUID.randomUUID().toString(), "type", "outage.probe", "profileId", profileId);
  }

  /** Posts events one after another until stopped, before, during and after the outage. */
  private final class EventSender extends Thread {

    private final String profileId;
    private final List<String> accepted;
    final List<String> failures = new CopyOnWriteArrayList<>();
    volatile int refused;
    volatile Duration slowest = Duration.ZERO;
    private volatile boolean stopped;

    EventSender(String profileId, List<String> accepted) {
      super("outage-event-sender");
      setDaemon(true);
      this.profileId = profileId;
      this.accepted = accepted;
    }

    @Override
    public void run() {
      while (!stopped) {
        Map<String, Object> event = event(profileId);
        long started = System.nanoTime();
        Response response;
        try {
          response = api().body(event).post("/api/events");
        } catch (Exception e) {
          // REST-assured rethrows the client's IOException undeclared
          failures.add("no answer: " + e);
          return;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        slowest = took.compareTo(slowest) > 0 ? took : slowest;
        if (response.statusCode() == 202) {
          accepted.add(event.get("eventId").toString());
        } else if (response.statusCode() == 503 && response.contentType().startsWith("application/problem+json")
            && took.compareTo(ANSWER_WITHIN) < 0) {
          refused++;
        } else {
          failures.add(response.statusCode() + " in " + took.toMillis() + " ms: " + response.asString());
        }
      }
    }

    void stopAndJoin() throws InterruptedException {
      stopped = true;
      join(Duration.ofSeconds(30).toMillis());
    }
  }
}
