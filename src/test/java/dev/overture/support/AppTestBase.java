package dev.overture.support;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** REST-assured against the running app, with helpers for the steps most tests share. */
@AppTest
public abstract class AppTestBase {

  public static final String ADMIN = "admin";
  public static final String ADMIN_PASSWORD = "admin-password-for-tests";
  public static final String API_KEY = "test-api-key-0123456789abcdef";
  public static final String SEGMENT_WRITE_KEY = "test-segment-write-key-0123456789";
  /** The only recipients test sends may reach in tests. */
  public static final String SEED_EMAIL = "seed-qa@example.com";
  public static final String SEED_PHONE = "+4915000000999";
  public static final String SEED_DEVICE = "seed-device-token-qa";
  /** The SNS topic SES reports to, and where the tests' WireMock serves the certificate SNS signs with. */
  public static final String SES_TOPIC = "arn:aws:sns:eu-west-1:123456789012:overture-ses-feedback";
  public static final String SNS_CERT_PATH = "/sns/SimpleNotificationService-test.pem";
  /** The loyalty API's key, configured for the endpoint {@code loyalty}; journeys never carry it. */
  public static final String LOYALTY_SECRET = "loyalty-secret-for-tests";

  @LocalServerPort
  protected int port;

  @org.springframework.beans.factory.annotation.Autowired
  private org.camunda.bpm.engine.ProcessEngine processEngine;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("overture.db.url", TestDatabases::newDatabase);
    registry.add("overture.db.user", TestDatabases::user);
    registry.add("overture.db.password", TestDatabases::password);
    registry.add("spring.mail.host", TestMail::host);
    registry.add("spring.mail.port", TestMail::port);
    // the AMQP event inbound on the real RabbitMQ, one queue per Spring context, gone when unused. Its dead-letter
    // queue has no consumer, so it counts as unused from the context's start: it must outlive the slowest suite (a
    // loaded machine took over 10 minutes to reach the dead-letter test, and the queue had expired)
    String queue = "overture.events.test." + UUID.randomUUID();
    registry.add("overture.events.amqp.enabled", () -> "true");
    registry.add("overture.events.amqp.queue", () -> queue);
    registry.add("overture.events.amqp.queue-expires", () -> "2h");
    registry.add("overture.events.segment-write-key", () -> SEGMENT_WRITE_KEY);
    // HTTP channel providers: one WireMock per test JVM
    registry.add("overture.delivery.sms.url", () -> TestHttpProviders.url("/sms"));
    registry.add("overture.delivery.push.url", () -> TestHttpProviders.url("/push"));
    registry.add("overture.delivery.webhook.url", () -> TestHttpProviders.url("/webhook"));
    registry.add("overture.delivery.audience.url", () -> TestHttpProviders.url("/audience"));
    registry.add("overture.delivery.sms.token", () -> "sms-test-token");
    registry.add("overture.delivery.webhook.secret", () -> TestHttpProviders.WEBHOOK_SECRET);
    registry.add("overture.delivery.tracking.secret", () -> "tracking-secret-for-tests");
    registry.add("overture.delivery.test-send.seed-list.email", () -> SEED_EMAIL);
    registry.add("overture.delivery.test-send.seed-list.sms", () -> SEED_PHONE);
    registry.add("overture.delivery.test-send.seed-list.push", () -> SEED_DEVICE);
    // email feedback webhooks: SES through SNS (its certificate on WireMock), SendGrid's signed events
    registry.add("overture.providers.ses.topic-arns", () -> SES_TOPIC);
    registry.add("overture.providers.ses.trusted-url-pattern",
        () -> "^" + java.util.regex.Pattern.quote(TestHttpProviders.url("/sns/")) + ".*");
    registry.add("overture.providers.sendgrid.verification-key", ProviderKeys::sendGridVerificationKey);
    // the allow-list of the journeys' API calls: a loyalty API on the same WireMock, its secret only here; quick retries
    registry.add("overture.actions.endpoints.loyalty.base-url", () -> TestHttpProviders.url("/loyalty"));
    registry.add("overture.actions.endpoints.loyalty.headers.Authorization", () -> "Bearer " + LOYALTY_SECRET);
    registry.add("overture.actions.endpoints.loyalty.timeout", () -> "2s");
    // the same API behind a rate limit of its own: 2 calls a second for the whole cluster
    registry.add("overture.actions.endpoints.metered.base-url", () -> TestHttpProviders.url("/loyalty"));
    registry.add("overture.actions.endpoints.metered.rate-per-second", () -> "2");
    registry.add("overture.actions.max-attempts", () -> "3");
    registry.add("overture.actions.retry-base", () -> "100ms");
    registry.add("overture.actions.retry-max", () -> "2s");
  }

  @BeforeEach
  void restAssured() {
    // Camunda's REST API and webapps find "the" engine in a JVM-wide registry; with several test
    // contexts (and RestartTest closing its apps) it must point at this context's engine
    org.camunda.bpm.engine.ProcessEngines.registerProcessEngine(processEngine);
    RestAssured.port = port;
    RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
  }

  protected RequestSpecification api() {
    return given().header("Authorization", "Bearer " + API_KEY).contentType(ContentType.JSON);
  }

  protected static String uniqueEmail(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  /** Creates a profile with an email and a first name; returns its id. */
  protected String createProfile(String email, String firstName) {
    return api().body(Map.of("identities", Map.of("email", email), "attributes", Map.of("firstName", firstName)))
        .post("/api/profiles")
        .then().statusCode(201)
        .extract().path("id");
  }

  protected void setConsent(String profileId, String channel, String purpose, String status) {
    api().body(Map.of("purpose", purpose, "status", status, "source", "test"))
        .put("/api/profiles/{id}/consents/{channel}", profileId, channel)
        .then().statusCode(200);
  }
}
