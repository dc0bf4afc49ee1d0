package dev.overture.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A merge keeps the customer's frequency cap: the slots both profiles used count for the survivor. */
class MergedProfileCapTest extends DeliveryTestBase {

  @Test
  void twoProfilesThatUsedTheCapBetweenThemAreCappedOnceMerged() {
    String key = approvedCreative("merge-cap");
    String userId = "crm-" + UUID.randomUUID();
    String older = profile(Map.of("phone", uniquePhone()), Map.of());
    String younger = profile(Map.of("phone", uniquePhone(), "externalId", userId), Map.of());
    setConsent(older, "sms", "marketing", "granted");
    setConsent(younger, "sms", "marketing", "granted");
    // the cap is 3 marketing SMS per 7 days: one went to the older profile, two to the younger
    assertThat(awaitFinal(send(older, Channel.SMS, Purpose.MARKETING, key)).status()).isEqualTo("sent");
    for (int i = 0; i < 2; i++) {
      assertThat(awaitFinal(send(younger, Channel.SMS, Purpose.MARKETING, key)).status()).isEqualTo("sent");
    }

    // one upsert names an identity of each: they are one customer, and the older profile survives
    String olderPhone = deliveries.ofProfile(older).get(0).recipient();
    api().body(Map.of("identities", Map.of("phone", olderPhone, "externalId", userId)))
        .post("/api/profiles").then().statusCode(200).body("id", equalTo(older));

    Delivery next = awaitFinal(send(older, Channel.SMS, Purpose.MARKETING, key));
    assertThat(next.status()).isEqualTo("suppressed");
    assertThat(next.reason()).isEqualTo("frequency cap reached: 3 per 7 days sms");
  }
}
