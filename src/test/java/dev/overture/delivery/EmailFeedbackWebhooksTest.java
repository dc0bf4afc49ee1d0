package dev.overture.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.consent.Suppressions;
import dev.overture.support.ProviderKeys;
import dev.overture.support.TestHttpProviders;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Email feedback from Amazon SES through SNS and from the SendGrid Event Webhook, each signed as the provider signs it
 * (SNS: RSA over its canonical string, with a certificate the test makes and serves; SendGrid: ECDSA over timestamp
 * and body): a bounce suppresses the address as the generic feedback endpoint does, a forged message is refused.
 */
class EmailFeedbackWebhooksTest extends DeliveryTestBase {

  @Autowired Suppressions suppressions;
  @Autowired Consents consents;
  @Autowired ObjectMapper json;

  @BeforeEach
  void snsServesItsSigningCertificate() {
    TestHttpProviders.server().stubFor(get(urlEqualTo(SNS_CERT_PATH)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/x-x509-ca-cert").withBody(ProviderKeys.certificatePem())));
  }

  @Test
  void aSignedSesBounceSuppressesTheAddressAndAForgedOneIsRefused() throws Exception {
    String email = uniqueEmail("ses-bounce");
    String id = sentEmail(email);

    ObjectNode forged = notification(sesBounce(id, email, "Permanent"), 1);
    forged.put("Message", sesBounce(UUID.randomUUID().toString(), email, "Permanent"));
    ses(forged).then().statusCode(403).contentType("application/problem+json").body("type", endsWith("/invalid-signature"));
    ObjectNode otherTopic = notification(sesBounce(id, email, "Permanent"), 1, "arn:aws:sns:eu-west-1:999999999999:someone-elses");
    ses(otherTopic).then().statusCode(403);
    ObjectNode strangeCert = notification(sesBounce(id, email, "Permanent"), 1);
    strangeCert.put("SigningCertURL", "https://attacker.example.com/cert.pem");
    ses(resign(strangeCert, 1)).then().statusCode(403);
    assertThat(suppressions.isSuppressed(Channel.EMAIL, email)).isFalse();

    ses(notification(sesBounce(id, email, "Permanent"), 1)).then().statusCode(200)
        .body("action", equalTo("hard_bounce")).body("outboxId", equalTo(id));

    assertThat(deliveries.find(id).orElseThrow().status()).isEqualTo("bounced");
    assertThat(deliveries.find(id).orElseThrow().reason()).contains("550 5.1.1 user unknown");
    assertThat(suppressions.find(Channel.EMAIL, email).orElseThrow().reason()).isEqualTo("hard-bounce");
  }

  @Test
  void aSesComplaintUnderSignatureVersion2SuppressesAndRevokesAndADeliveryIsAReceipt() throws Exception {
    String email = uniqueEmail("ses-complaint");
    String id = sentEmail(email);
    String delivered = sentEmail(uniqueEmail("ses-delivered"));

    ses(notification(sesMessage("Complaint", id, email, Map.of("complaint", Map.of("complaintFeedbackType", "abuse",
        "complainedRecipients", List.of(Map.of("emailAddress", email))))), 2)).then().statusCode(200)
        .body("action", equalTo("complaint"));
    ses(notification(sesMessage("Delivery", delivered, "someone@example.com", Map.of("delivery",
        Map.of("smtpResponse", "250 ok"))), 2)).then().statusCode(200).body("action", equalTo("delivered"));
    // a transient bounce is soft: nothing suppressed
    String soft = uniqueEmail("ses-soft");
    ses(notification(sesBounce(sentEmail(soft), soft, "Transient"), 1)).then().statusCode(200).body("action", equalTo("soft_bounce"));

    assertThat(suppressions.find(Channel.EMAIL, email).orElseThrow().reason()).isEqualTo("complaint");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM outbox_message WHERE id = ? AND delivered_at IS NOT NULL").param(delivered)
        .query(Integer.class).single()).isEqualTo(1);
    assertThat(suppressions.isSuppressed(Channel.EMAIL, soft)).isFalse();
  }

  @Test
  void aSignedSubscriptionConfirmationIsConfirmedAtItsSubscribeUrl() throws Exception {
    String token = "token-" + UUID.randomUUID();
    String subscribe = TestHttpProviders.url("/sns/") + "?Action=ConfirmSubscription&TopicArn=" + SES_TOPIC + "&Token=" + token;
    TestHttpProviders.server().stubFor(get(urlPathEqualTo("/sns/")).willReturn(aResponse().withStatus(200)
        .withBody("<ConfirmSubscriptionResponse/>")));
    ObjectNode confirmation = json.createObjectNode();
    confirmation.put("Type", "SubscriptionConfirmation");
    confirmation.put("MessageId", UUID.randomUUID().toString());
    confirmation.put("Token", token);
    confirmation.put("TopicArn", SES_TOPIC);
    confirmation.put("Message", "You have chosen to subscribe to the topic " + SES_TOPIC + ".");
    confirmation.put("SubscribeURL", subscribe);
    confirmation.put("Timestamp", Instant.now().toString());
    confirmation.put("SigningCertURL", TestHttpProviders.url(SNS_CERT_PATH));

    ses(resign(confirmation, 1)).then().statusCode(200).body("action", equalTo("subscribed"));

    TestHttpProviders.server().verify(1, getRequestedFor(urlPathEqualTo("/sns/"))
        .withQueryParam("Token", com.github.tomakehurst.wiremock.client.WireMock.equalTo(token)));
  }

  @Test
  void aSignedSendGridBounceSuppressesTheAddressAndAForgedOrUnsignedOneIsRefused() throws Exception {
    String email = uniqueEmail("sendgrid-bounce");
    String id = sentEmail(email);
    String body = json.writeValueAsString(List.of(
        Map.of("email", email, "timestamp", Instant.now().getEpochSecond(), "smtp-id", "<" + id + "@overture>",
            "event", "bounce", "type", "bounce", "reason", "550 5.1.1 The email account does not exist", "status", "5.1.1",
            "sg_event_id", UUID.randomUUID().toString(), "sg_message_id", "sg-" + id),
        Map.of("email", "other@example.com", "timestamp", Instant.now().getEpochSecond(), "event", "processed",
            "smtp-id", "<not-ours@example.com>")));
    String timestamp = Long.toString(Instant.now().getEpochSecond());

    sendGrid(body.replace("bounce\"", "delivered\""), timestamp, ProviderKeys.sendGridSignature(timestamp, body))
        .then().statusCode(403).contentType("application/problem+json").body("type", endsWith("/invalid-signature"));
    sendGrid(body, null, null).then().statusCode(403).contentType("application/problem+json");
    assertThat(suppressions.isSuppressed(Channel.EMAIL, email)).isFalse();

    sendGrid(body, timestamp, ProviderKeys.sendGridSignature(timestamp, body)).then().statusCode(200)
        .body("recorded", equalTo(1)).body("ignored", equalTo(1));

    assertThat(deliveries.find(id).orElseThrow().status()).isEqualTo("bounced");
    assertThat(suppressions.find(Channel.EMAIL, email).orElseThrow().reason()).isEqualTo("hard-bounce");
  }

  @Test
  void aSendGridSpamReportSuppressesAndRevokesMarketingConsent() throws Exception {
    String email = uniqueEmail("sendgrid-spam");
    String profileId = profile(Map.of("email", email), Map.of());
    setConsent(profileId, "email", "marketing", "granted");
    String id = awaitFinal(send(profileId, Channel.EMAIL, Purpose.MARKETING, approvedCreative("spam"))).id();
    String body = json.writeValueAsString(List.of(Map.of("email", email, "timestamp", Instant.now().getEpochSecond(),
        "smtp-id", "<" + id + "@overture>", "event", "spamreport")));
    String timestamp = Long.toString(Instant.now().getEpochSecond());

    sendGrid(body, timestamp, ProviderKeys.sendGridSignature(timestamp, body)).then().statusCode(200).body("recorded", equalTo(1));

    assertThat(suppressions.find(Channel.EMAIL, email).orElseThrow().reason()).isEqualTo("complaint");
    assertThat(consents.allows(profileId, Channel.EMAIL, Purpose.MARKETING)).isFalse();
  }

  /** A transactional email to a new profile, sent (to GreenMail); its outbox id. */
  private String sentEmail(String email) {
    String profileId = profile(Map.of("email", email), Map.of());
    Delivery d = awaitFinal(send(profileId, Channel.EMAIL, Purpose.TRANSACTIONAL, approvedCreative("feedback")));
    assertThat(d.status()).isEqualTo("sent");
    return d.id();
  }

  private String sesBounce(String outboxId, String email, String bounceType) throws Exception {
    return sesMessage("Bounce", outboxId, email, Map.of("bounce", Map.of("bounceType", bounceType,
        "bounceSubType", "Permanent".equals(bounceType) ? "General" : "MailboxFull",
        "bouncedRecipients", List.of(Map.of("emailAddress", email, "action", "failed", "status", "5.1.1",
            "diagnosticCode", "smtp; 550 5.1.1 user unknown")),
        "timestamp", Instant.now().toString(), "feedbackId", UUID.randomUUID().toString())));
  }

  /** An SES notification as SES puts it into the SNS message: its type, the mail with our Message-ID, the details. */
  private String sesMessage(String type, String outboxId, String email, Map<String, Object> details) throws Exception {
    ObjectNode message = json.createObjectNode();
    message.put("notificationType", type);
    message.setAll((ObjectNode) json.valueToTree(details));
    ObjectNode mail = message.putObject("mail");
    mail.put("timestamp", Instant.now().toString());
    mail.put("messageId", "0100018c-ses-" + UUID.randomUUID());
    mail.put("source", "no-reply@overture.local");
    mail.putArray("destination").add(email);
    mail.putArray("headers").addObject().put("name", "Message-ID").put("value", "<" + outboxId + "@overture>");
    mail.putObject("commonHeaders").put("messageId", "<" + outboxId + "@overture>").putArray("to").add(email);
    return json.writeValueAsString(message);
  }

  private ObjectNode notification(String message, int version) {
    return notification(message, version, SES_TOPIC);
  }

  private ObjectNode notification(String message, int version, String topic) {
    ObjectNode n = json.createObjectNode();
    n.put("Type", "Notification");
    n.put("MessageId", UUID.randomUUID().toString());
    n.put("TopicArn", topic);
    n.put("Message", message);
    n.put("Timestamp", Instant.now().toString());
    n.put("UnsubscribeURL", TestHttpProviders.url("/sns/") + "?Action=Unsubscribe");
    n.put("SigningCertURL", TestHttpProviders.url(SNS_CERT_PATH));
    return resign(n, version);
  }

  /** Signs the message as SNS does: its signed fields as "name\nvalue\n" in order, RSA with SHA-1 (1) or SHA-256 (2). */
  private static ObjectNode resign(ObjectNode n, int version) {
    List<String> fields = "Notification".equals(n.path("Type").asText())
        ? List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
        : List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");
    StringBuilder toSign = new StringBuilder();
    for (String f : fields) {
      if (n.hasNonNull(f)) {
        toSign.append(f).append('\n').append(n.get(f).asText()).append('\n');
      }
    }
    n.put("SignatureVersion", Integer.toString(version));
    n.put("Signature", ProviderKeys.snsSignature(version, toSign.toString()));
    return n;
  }

  /** As SNS posts it: text/plain, the message type in a header. */
  private Response ses(ObjectNode message) throws Exception {
    return given().contentType("text/plain; charset=UTF-8").header("x-amz-sns-message-type", message.path("Type").asText())
        .body(json.writeValueAsString(message)).post("/hooks/ses");
  }

  private static Response sendGrid(String body, String timestamp, String signature) {
    var request = given().contentType("application/json").body(body);
    if (timestamp != null) {
      request.header("X-Twilio-Email-Event-Webhook-Timestamp", timestamp);
    }
    if (signature != null) {
      request.header("X-Twilio-Email-Event-Webhook-Signature", signature);
    }
    return request.post("/hooks/sendgrid");
  }
}
