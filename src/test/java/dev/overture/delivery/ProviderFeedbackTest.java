package dev.overture.delivery;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.overture.consent.Channel;
import dev.overture.consent.Consent;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.consent.Suppressions;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Bounces and complaints that providers report by webhook after the message was sent. */
class ProviderFeedbackTest extends DeliveryTestBase {

  @Autowired Suppressions suppressions;
  @Autowired Consents consents;

  private ValidatableResponse feedback(String outboxId, Map<String, Object> body) {
    return api().body(body).post("/api/deliveries/{id}/feedback", outboxId).then();
  }

  private int events(String eventId, String type) {
    return jdbc.sql("SELECT COUNT(*) FROM customer_event WHERE event_id = ? AND type = ?").params(eventId, type)
        .query(Integer.class).single();
  }

  @Test
  void aHardBounceMarksTheSentEmailBouncedSuppressesTheAddressAndTellsTheJourneyOnce() {
    String key = approvedCreative("hard");
    String email = uniqueEmail("gone");
    String profileId = createProfile(email, "Ada");
    String id = send(profileId, Channel.EMAIL, Purpose.TRANSACTIONAL, key);
    assertThat(awaitFinal(id).status()).isEqualTo("sent");

    feedback(id, Map.of("type", "hard_bounce", "detail", "550 5.1.1 mailbox does not exist"))
        .statusCode(200).body("deliveryStatus", equalTo("bounced")).body("duplicate", equalTo(false));

    Delivery bounced = deliveries.find(id).orElseThrow();
    assertThat(bounced.status()).isEqualTo("bounced");
    assertThat(bounced.reason()).isEqualTo("hard bounce reported by the provider: 550 5.1.1 mailbox does not exist");
    Suppressions.Suppression listed = suppressions.find(Channel.EMAIL, email).orElseThrow();
    assertThat(listed.reason()).isEqualTo("hard-bounce");
    assertThat(events(id + ":bounced", "message.bounced")).isEqualTo(1);

    // the provider repeats its webhook: nothing changes
    feedback(id, Map.of("type", "hard_bounce", "detail", "550 again")).statusCode(200).body("duplicate", equalTo(true));
    assertThat(deliveries.find(id).orElseThrow().reason()).isEqualTo(bounced.reason());
    assertThat(suppressions.find(Channel.EMAIL, email)).contains(listed);
    assertThat(events(id + ":bounced", "message.bounced")).isEqualTo(1);
    // and the next message to the address is held back
    assertThat(awaitFinal(send(profileId, Channel.EMAIL, Purpose.TRANSACTIONAL, key)).reason())
        .isEqualTo("address is on the suppression list (hard-bounce)");
  }

  @Test
  void aDeliveryReceiptSetsDeliveredAtKeepsTheStatusAndTellsTheJourneyOnce() {
    String email = uniqueEmail("received");
    String id = send(createProfile(email, "Ada"), Channel.EMAIL, Purpose.TRANSACTIONAL, approvedCreative("receipt"));
    assertThat(awaitFinal(id).status()).isEqualTo("sent");

    feedback(id, Map.of("type", "delivered", "detail", "250 ok")).statusCode(200).body("deliveryStatus", equalTo("sent"));
    feedback(id, Map.of("type", "delivered")).statusCode(200).body("duplicate", equalTo(true));

    assertThat(jdbc.sql("SELECT COUNT(*) FROM outbox_message WHERE id = ? AND delivered_at IS NOT NULL").param(id)
        .query(Integer.class).single()).isEqualTo(1);
    assertThat(suppressions.isSuppressed(Channel.EMAIL, email)).isFalse();
    assertThat(events(id + ":delivered", "message.delivered")).isEqualTo(1);
  }

  @Test
  void aComplaintSuppressesTheAddressAndRevokesMarketingConsentForThatChannelOnce() {
    String key = approvedCreative("spam");
    String email = uniqueEmail("annoyed");
    String profileId = createProfile(email, "Ada");
    setConsent(profileId, "email", "marketing", "granted");
    setConsent(profileId, "sms", "marketing", "granted");
    String id = send(profileId, Channel.EMAIL, Purpose.MARKETING, key);
    assertThat(awaitFinal(id).status()).isEqualTo("sent");

    feedback(id, Map.of("type", "complaint", "detail", "abuse report from feedback loop"))
        .statusCode(200).body("deliveryStatus", equalTo("sent")).body("duplicate", equalTo(false));

    assertThat(suppressions.find(Channel.EMAIL, email).orElseThrow().reason()).isEqualTo("complaint");
    Consent revoked = consents.current(profileId, Channel.EMAIL, Purpose.MARKETING).orElseThrow();
    assertThat(revoked.status()).isEqualTo("revoked");
    assertThat(revoked.source()).isEqualTo("complaint");
    assertThat(consents.allows(profileId, Channel.SMS, Purpose.MARKETING)).as("other channels keep their consent").isTrue();
    assertThat(events(id + ":complained", "message.complained")).isEqualTo(1);
    int ledger = consents.historyOf(profileId).size();

    feedback(id, Map.of("type", "complaint")).statusCode(200).body("duplicate", equalTo(true));
    assertThat(consents.historyOf(profileId)).hasSize(ledger);
    assertThat(events(id + ":complained", "message.complained")).isEqualTo(1);
  }

  @Test
  void aSoftBounceOnlyTellsTheJourney() {
    String key = approvedCreative("soft");
    String phone = uniquePhone();
    String profileId = profile(Map.of("phone", phone), Map.of());
    String id = send(profileId, Channel.SMS, Purpose.TRANSACTIONAL, key);
    assertThat(awaitFinal(id).status()).isEqualTo("sent");
    int ledger = consents.historyOf(profileId).size();

    feedback(id, Map.of("type", "soft_bounce", "detail", "handset off")).statusCode(200).body("deliveryStatus", equalTo("sent"));

    assertThat(deliveries.find(id).orElseThrow().status()).isEqualTo("sent");
    assertThat(suppressions.find(Channel.SMS, phone)).isEmpty();
    assertThat(consents.historyOf(profileId)).hasSize(ledger);
    assertThat(events(id + ":soft_bounced", "message.soft_bounced")).isEqualTo(1);
  }

  @Test
  void unknownMessagesUnknownTypesUnsentMessagesAndMissingKeysAreProblems() {
    String key = approvedCreative("bad");
    String profileId = createProfile(uniqueEmail("bad"), "Ada");
    String sent = send(profileId, Channel.EMAIL, Purpose.TRANSACTIONAL, key);
    assertThat(awaitFinal(sent).status()).isEqualTo("sent");
    String suppressed = send(profileId, Channel.EMAIL, Purpose.MARKETING, key);
    assertThat(awaitFinal(suppressed).status()).as("no marketing consent").isEqualTo("suppressed");

    feedback(UUID.randomUUID().toString(), Map.of("type", "hard_bounce"))
        .statusCode(404).contentType("application/problem+json").body("type", containsString("delivery-not-found"));
    feedback(sent, Map.of("type", "bounce"))
        .statusCode(400).contentType("application/problem+json").body("type", containsString("invalid-feedback-type"))
        .body("detail", containsString("hard_bounce, soft_bounce, complaint or delivered"));
    feedback(sent, Map.of("detail", "no type")).statusCode(400).body("type", containsString("invalid-feedback-type"));
    feedback(suppressed, Map.of("type", "hard_bounce"))
        .statusCode(409).contentType("application/problem+json").body("type", containsString("delivery-not-sent"));
    given().contentType(ContentType.JSON).body(Map.of("type", "hard_bounce"))
        .post("/api/deliveries/{id}/feedback", sent).then().statusCode(401);
    assertThat(deliveries.find(sent).orElseThrow().status()).isEqualTo("sent");
    assertThat(events(sent + ":bounced", "message.bounced")).isZero();
  }
}
