package dev.overture.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.consent.Suppressions;
import dev.overture.support.ProviderKeys;
import dev.overture.support.TestHttpProviders;
import io.restassured.response.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * SMS through Twilio's Messages API (WireMock answering as Twilio documents it), its signed status callbacks, and
 * signed inbound replies: STOP revokes SMS consent, START grants it again; a forged or missing signature is refused.
 */
class TwilioSmsTest extends ProviderAdaptersTestBase {

  private static final String MESSAGES = "/2010-04-01/Accounts/" + TWILIO_SID + "/Messages.json";

  @Autowired Consents consents;
  @Autowired Suppressions suppressions;

  @BeforeEach
  void twilioAcceptsMessages() {
    TestHttpProviders.server().stubFor(post(urlEqualTo(MESSAGES)).atPriority(50).willReturn(aResponse().withStatus(201)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"sid\":\"SM" + UUID.randomUUID().toString().replace("-", "") + "\",\"status\":\"queued\"}")));
  }

  @Test
  void aWelcomeSmsGoesOutThroughTwilioAndItsSignedStatusCallbackMarksItDelivered() {
    String phone = uniquePhone();
    String profileId = profile(Map.of("phone", phone), Map.of("firstName", "Ada"));
    setConsent(profileId, "sms", "marketing", "granted");

    String id = send(profileId, Channel.SMS, Purpose.MARKETING, approvedCreative("welcome"));

    assertThat(awaitFinal(id).status()).isEqualTo("sent");
    List<LoggedRequest> calls = TestHttpProviders.server().findAll(postRequestedFor(urlEqualTo(MESSAGES))
        .withRequestBody(containing("To=" + form(phone))));
    assertThat(calls).hasSize(1);
    LoggedRequest call = calls.get(0);
    assertThat(call.getHeader("Authorization")).isEqualTo("Basic "
        + Base64.getEncoder().encodeToString((TWILIO_SID + ":" + TWILIO_TOKEN).getBytes(StandardCharsets.UTF_8)));
    assertThat(call.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(call.getBodyAsString()).contains("From=" + form(TWILIO_FROM))
        .contains("Body=" + form("Hi Ada, 20% off today Reply STOP to opt out."))
        .contains("StatusCallback=" + form(PUBLIC_URL + "/hooks/twilio/status/" + id));

    Map<String, String> sent = callback(id, phone, "sent", null);
    signed("/hooks/twilio/status/" + id, sent).then().statusCode(200).body("action", equalToString("ignored"));
    assertThat(deliveredAt(id)).isNull();

    signed("/hooks/twilio/status/" + id, callback(id, phone, "delivered", null)).then().statusCode(200)
        .body("action", equalToString("delivered")).body("deliveryStatus", equalToString("sent"));
    assertThat(deliveredAt(id)).isNotNull();
    api().get("/api/deliveries/{id}", id).then().statusCode(200).body("deliveredAt", org.hamcrest.Matchers.notNullValue());
    assertThat(jdbc.sql("SELECT COUNT(*) FROM customer_event WHERE event_id = ?").param(id + ":delivered")
        .query(Integer.class).single()).isEqualTo(1);
  }

  @Test
  void aForgedOrMissingSignatureIsRefusedAndChangesNothing() {
    String phone = uniquePhone();
    String profileId = profile(Map.of("phone", phone), Map.of());
    String id = send(profileId, Channel.SMS, Purpose.TRANSACTIONAL, approvedCreative("forged"));
    assertThat(awaitFinal(id).status()).isEqualTo("sent");
    Map<String, String> delivered = callback(id, phone, "undelivered", "30005");

    Response forged = given().contentType("application/x-www-form-urlencoded").formParams(delivered)
        .header("X-Twilio-Signature", ProviderKeys.twilioSignature("not-the-auth-token", PUBLIC_URL + "/hooks/twilio/status/" + id,
            delivered))
        .post("/hooks/twilio/status/{id}", id);
    forged.then().statusCode(403).contentType("application/problem+json").body("type", endsWith("/invalid-signature"));
    given().contentType("application/x-www-form-urlencoded").formParams(delivered).post("/hooks/twilio/status/{id}", id)
        .then().statusCode(403).contentType("application/problem+json");
    Map<String, String> stop = inbound(phone, "STOP");
    given().contentType("application/x-www-form-urlencoded").formParams(stop)
        .header("X-Twilio-Signature", ProviderKeys.twilioSignature(TWILIO_TOKEN, PUBLIC_URL + "/hooks/twilio/inbound",
            Map.of("From", phone, "Body", "STOP")))
        .post("/hooks/twilio/inbound").then().statusCode(403).contentType("application/problem+json");

    assertThat(deliveries.find(id).orElseThrow().status()).isEqualTo("sent");
    assertThat(suppressions.isSuppressed(Channel.SMS, phone)).isFalse();
    assertThat(consents.allows(profileId, Channel.SMS, Purpose.TRANSACTIONAL)).isTrue();

    // the same callback, signed: the number is unknown to the carrier, a hard bounce
    signed("/hooks/twilio/status/" + id, delivered).then().statusCode(200).body("action", equalToString("hard_bounce"));
    assertThat(suppressions.find(Channel.SMS, phone).orElseThrow().reason()).isEqualTo("hard-bounce");
  }

  @Test
  void aSignedInboundStopRevokesSmsConsentAndStartGrantsItAgain() {
    String phone = uniquePhone();
    String profileId = profile(Map.of("phone", phone), Map.of());
    setConsent(profileId, "sms", "marketing", "granted");

    signed("/hooks/twilio/inbound", inbound(phone, " stop ")).then().statusCode(200)
        .contentType(containsString("xml")).body(containsString("<Response>"));

    assertThat(consents.allows(profileId, Channel.SMS, Purpose.MARKETING)).isFalse();
    assertThat(consents.allows(profileId, Channel.SMS, Purpose.TRANSACTIONAL)).isFalse();
    assertThat(consents.current(profileId, Channel.SMS, Purpose.MARKETING).orElseThrow().source()).isEqualTo("sms-stop");
    Delivery refused = awaitFinal(send(profileId, Channel.SMS, Purpose.MARKETING, approvedCreative("after-stop")));
    assertThat(refused.status()).isEqualTo("suppressed");

    signed("/hooks/twilio/inbound", inbound(phone, "START")).then().statusCode(200);
    assertThat(consents.allows(profileId, Channel.SMS, Purpose.MARKETING)).isTrue();
    assertThat(consents.current(profileId, Channel.SMS, Purpose.MARKETING).orElseThrow().source()).isEqualTo("sms-start");
  }

  @Test
  void aNumberTwilioCallsInvalidBouncesAtOnceAndIsSuppressed() {
    String phone = uniquePhone();
    TestHttpProviders.server().stubFor(post(urlEqualTo(MESSAGES)).atPriority(10).withRequestBody(containing("To=" + form(phone)))
        .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
            .withBody("{\"code\": 21211, \"message\": \"The 'To' number " + phone + " is not a valid phone number.\","
                + " \"more_info\": \"https://www.twilio.com/docs/errors/21211\", \"status\": 400}")));
    String profileId = profile(Map.of("phone", phone), Map.of());

    Delivery d = awaitFinal(send(profileId, Channel.SMS, Purpose.TRANSACTIONAL, approvedCreative("invalid")));

    assertThat(d.status()).isEqualTo("bounced");
    assertThat(d.attempts()).isEqualTo(1);
    assertThat(d.reason()).contains("21211").contains("not a valid phone number");
    assertThat(suppressions.find(Channel.SMS, phone).orElseThrow().reason()).isEqualTo("hard-bounce");
    TestHttpProviders.server().verify(1, postRequestedFor(urlEqualTo(MESSAGES)).withRequestBody(containing("To=" + form(phone))));
  }

  @Test
  void aThrottledMessageWaitsOutTwiliosRetryAfterAndGoesOnce() {
    String phone = uniquePhone();
    String scenario = "throttle-" + phone;
    TestHttpProviders.server().stubFor(post(urlEqualTo(MESSAGES)).atPriority(10).withRequestBody(containing("To=" + form(phone)))
        .inScenario(scenario).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("throttled")
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2").withHeader("Content-Type", "application/json")
            .withBody("{\"code\": 20429, \"message\": \"Too Many Requests\", \"status\": 429}")));
    TestHttpProviders.server().stubFor(post(urlEqualTo(MESSAGES)).atPriority(10).withRequestBody(containing("To=" + form(phone)))
        .inScenario(scenario).whenScenarioStateIs("throttled")
        .willReturn(aResponse().withStatus(201).withBody("{\"sid\":\"SM-after-throttle\",\"status\":\"queued\"}")));
    String profileId = profile(Map.of("phone", phone), Map.of());

    Delivery d = awaitFinal(send(profileId, Channel.SMS, Purpose.TRANSACTIONAL, approvedCreative("throttled")));

    assertThat(d.status()).isEqualTo("sent");
    assertThat(d.attempts()).isEqualTo(2);
    List<LoggedRequest> calls = TestHttpProviders.server().findAll(postRequestedFor(urlEqualTo(MESSAGES))
        .withRequestBody(containing("To=" + form(phone))));
    assertThat(calls).hasSize(2);
    // the backoff alone would have come back after at most 200 ms (retry-base in tests)
    assertThat(Duration.between(calls.get(0).getLoggedDate().toInstant(), calls.get(1).getLoggedDate().toInstant()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
  }

  private Response signed(String path, Map<String, String> params) {
    return given().contentType("application/x-www-form-urlencoded").formParams(params)
        .header("X-Twilio-Signature", ProviderKeys.twilioSignature(TWILIO_TOKEN, PUBLIC_URL + path, params))
        .post(path);
  }

  /** A status callback as Twilio posts it. */
  private static Map<String, String> callback(String outboxId, String to, String status, String errorCode) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("AccountSid", TWILIO_SID);
    p.put("MessageSid", "SM" + outboxId.replace("-", ""));
    p.put("SmsSid", "SM" + outboxId.replace("-", ""));
    p.put("MessageStatus", status);
    p.put("SmsStatus", status);
    p.put("To", to);
    p.put("From", TWILIO_FROM);
    p.put("ApiVersion", "2010-04-01");
    if (errorCode != null) {
      p.put("ErrorCode", errorCode);
    }
    return p;
  }

  /** An inbound message as Twilio posts it to the number's webhook. */
  private static Map<String, String> inbound(String from, String body) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("AccountSid", TWILIO_SID);
    p.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
    p.put("From", from);
    p.put("To", TWILIO_FROM);
    p.put("Body", body);
    p.put("NumMedia", "0");
    return p;
  }

  private java.sql.Timestamp deliveredAt(String id) {
    return jdbc.sql("SELECT delivered_at FROM outbox_message WHERE id = ?").param(id).query((rs, n) -> rs.getTimestamp(1))
        .list().get(0);
  }

  private static String form(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static org.hamcrest.Matcher<String> equalToString(String s) {
    return org.hamcrest.Matchers.equalTo(s);
  }
}
