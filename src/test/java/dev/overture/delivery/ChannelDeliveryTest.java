package dev.overture.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.consent.Suppressions;
import dev.overture.support.TestHttpProviders;
import dev.overture.support.TestMail;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every channel delivers through the outbox to its provider (GreenMail for SMTP, WireMock for HTTP). */
class ChannelDeliveryTest extends DeliveryTestBase {

  @Autowired
  Consents consents;

  @Test
  void marketingEmailCarriesHtmlTextOneClickUnsubscribeAndTrackedLinks() throws Exception {
    String key = approvedCreative("promo");
    String email = uniqueEmail("mail");
    String profileId = createProfile(email, "Ada");
    setConsent(profileId, "email", "marketing", "granted");

    String id = send(profileId, Channel.EMAIL, Purpose.MARKETING, key);

    assertThat(awaitFinal(id).status()).isEqualTo("sent");
    List<MimeMessage> received = await().atMost(Duration.ofSeconds(10)).until(() -> TestMail.to(email), m -> m.size() == 1);
    MimeMessage message = received.get(0);
    assertThat(message.getSubject()).isEqualTo("Hello Ada");
    assertThat(message.getHeader("Message-ID")[0]).isEqualTo("<" + id + "@overture>");
    assertThat(message.getHeader("List-Unsubscribe")[0]).matches("<http://localhost:8080/t/u/[^>]+>");
    assertThat(message.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
    String html = part(message, "text/html");
    String text = part(message, "text/plain");
    assertThat(text).contains("Hi Ada, see https://shop.example.com/offer").contains("Unsubscribe: http://localhost:8080/t/u/");
    assertThat(html).contains("/t/c/").doesNotContain("href=\"https://shop.example.com").contains("/t/o/");
  }

  @Test
  void smsGoesToTheProviderAsJsonWithIdempotencyKeyAndBearerToken() {
    String key = approvedCreative("sms");
    String phone = uniquePhone();
    String profileId = profile(Map.of("phone", phone), Map.of("firstName", "Grace"));

    String id = send(profileId, Channel.SMS, Purpose.TRANSACTIONAL, key);

    assertThat(awaitFinal(id).status()).isEqualTo("sent");
    TestHttpProviders.server().verify(1, postRequestedFor(urlEqualTo("/sms"))
        .withHeader("Idempotency-Key", equalTo(id))
        .withHeader("Authorization", equalTo("Bearer sms-test-token"))
        .withRequestBody(matchingJsonPath("$.to", equalTo(phone)))
        .withRequestBody(matchingJsonPath("$.body", equalTo("Hi Grace, 20% off today"))));
  }

  @Test
  void pushGoesToEveryDeviceTokenOfTheProfile() {
    String key = approvedCreative("push");
    String email = uniqueEmail("push");
    String profileId = profile(Map.of("email", email, "deviceToken", "token-a-" + key), Map.of());
    api().body(Map.of("identities", Map.of("email", email, "deviceToken", "token-b-" + key), "attributes", Map.of("firstName", "Linus")))
        .post("/api/profiles").then().statusCode(200);

    String id = send(profileId, Channel.PUSH, Purpose.TRANSACTIONAL, key);

    assertThat(awaitFinal(id).status()).isEqualTo("sent");
    TestHttpProviders.server().verify(1, postRequestedFor(urlEqualTo("/push"))
        .withHeader("Idempotency-Key", equalTo(id))
        .withRequestBody(matchingJsonPath("$.tokens[0]", equalTo("token-a-" + key)))
        .withRequestBody(matchingJsonPath("$.tokens[1]", equalTo("token-b-" + key)))
        .withRequestBody(matchingJsonPath("$.title", equalTo("Hi Linus"))));
  }

  @Test
  void webhookIsSignedWithHmacOverTimestampAndBody() throws Exception {
    String key = approvedCreative("hook");
    String profileId = createProfile(uniqueEmail("hook"), "Barbara");

    String id = send(profileId, Channel.WEBHOOK, Purpose.TRANSACTIONAL, key);

    assertThat(awaitFinal(id).status()).isEqualTo("sent");
    LoggedRequest request = TestHttpProviders.server().findAll(postRequestedFor(urlEqualTo("/webhook"))
        .withHeader("Idempotency-Key", equalTo(id))).get(0);
    String timestamp = request.getHeader("X-Overture-Timestamp");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(TestHttpProviders.WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = HexFormat.of().formatHex(mac.doFinal((timestamp + "." + request.getBodyAsString()).getBytes(StandardCharsets.UTF_8)));
    assertThat(request.getHeader("X-Overture-Signature")).isEqualTo("sha256=" + expected);
    assertThat(request.getBodyAsString()).contains("\"profileId\":\"" + profileId + "\"").contains("Hi Barbara");
  }

  @Test
  void audienceReceivesSha256OfNormalisedEmailAndPhoneNeverTheAddress() {
    String email = uniqueEmail("Audience").toUpperCase();
    String phone = uniquePhone();
    String profileId = profile(Map.of("email", email, "phone", phone), Map.of());
    setConsent(profileId, "audience", "marketing", "granted");
    String audience = uniqueKey("lookalikes");

    String add = deliveries.enqueueAudience(profileId, audience, true, Purpose.MARKETING, TEST_ORIGIN);
    String remove = deliveries.enqueueAudience(profileId, audience, false, Purpose.MARKETING, TEST_ORIGIN);

    assertThat(awaitFinal(add).status()).isEqualTo("sent");
    assertThat(awaitFinal(remove).status()).isEqualTo("sent");
    String hashedEmail = Suppressions.hash(Channel.EMAIL, email.toLowerCase());
    TestHttpProviders.server().verify(1, postRequestedFor(urlEqualTo("/audience"))
        .withHeader("Idempotency-Key", equalTo(add))
        .withRequestBody(matchingJsonPath("$.action", equalTo("add")))
        .withRequestBody(matchingJsonPath("$.members[0].hashedEmail", equalTo(hashedEmail)))
        .withRequestBody(matchingJsonPath("$.members[0].hashedPhoneNumber", equalTo(Suppressions.hash(Channel.SMS, phone)))));
    TestHttpProviders.server().verify(1, postRequestedFor(urlEqualTo("/audience"))
        .withHeader("Idempotency-Key", equalTo(remove)).withRequestBody(matchingJsonPath("$.action", equalTo("remove"))));
    assertThat(TestHttpProviders.server().findAll(postRequestedFor(urlEqualTo("/audience")).withRequestBody(containing(audience))))
        .noneMatch(r -> r.getBodyAsString().toLowerCase().contains(email.toLowerCase()));
  }

  @Test
  void inboundStopRevokesSmsConsent() {
    String phone = uniquePhone();
    String profileId = profile(Map.of("phone", phone), Map.of());
    setConsent(profileId, "sms", "marketing", "granted");

    api().body(Map.of("from", phone, "text", " stop ", "messageId", uniqueKey("in")))
        .post("/api/delivery/sms/inbound")
        .then().statusCode(200).body("action", org.hamcrest.Matchers.equalTo("revoked"));

    assertThat(consents.allows(profileId, Channel.SMS, Purpose.MARKETING)).isFalse();
    assertThat(consents.allows(profileId, Channel.SMS, Purpose.TRANSACTIONAL)).isFalse();
    assertThat(consents.current(profileId, Channel.SMS, Purpose.MARKETING).orElseThrow().source()).isEqualTo("sms-stop");
  }

  @Test
  void everyOutcomeBecomesACustomerEventOnce() {
    String key = approvedCreative("events");
    String profileId = profile(Map.of("phone", uniquePhone()), Map.of());
    String sent = send(profileId, Channel.SMS, Purpose.TRANSACTIONAL, key);
    String suppressed = send(profileId, Channel.SMS, Purpose.MARKETING, key);
    awaitFinal(sent);
    awaitFinal(suppressed);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.sql(
            "SELECT event_id FROM customer_event WHERE profile_id = ? ORDER BY event_id").param(profileId).query(String.class).list())
        .containsExactlyInAnyOrder(sent + ":sent", suppressed + ":suppressed"));
    assertThat(jdbc.sql("SELECT JSON_VALUE(properties, '$.reason') FROM customer_event WHERE event_id = ?")
        .param(suppressed + ":suppressed").query(String.class).single()).contains("no marketing consent for sms");
  }

  private static String part(MimeMessage message, String type) throws Exception {
    return TestMail.part(message, type);
  }
}
