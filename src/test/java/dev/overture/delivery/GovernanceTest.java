package dev.overture.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Governance at send time: suppression list, quiet hours, frequency caps, preferred channel. */
class GovernanceTest extends DeliveryTestBase {

  @Test
  void aSuppressedAddressGetsNothingUntilItIsRemovedFromTheList() {
    String key = approvedCreative("suppr");
    String email = uniqueEmail("complainer");
    String profileId = createProfile(email, "Ada");
    api().body(Map.of("channel", "email", "address", email.toUpperCase(), "reason", "complaint"))
        .post("/api/suppressions").then().statusCode(201).body("reason", equalTo("complaint"))
        .body("addressHash", org.hamcrest.Matchers.hasLength(64));

    Delivery blocked = awaitFinal(send(profileId, Channel.EMAIL, Purpose.TRANSACTIONAL, key));
    assertThat(blocked.status()).isEqualTo("suppressed");
    assertThat(blocked.reason()).isEqualTo("address is on the suppression list (complaint)");

    api().delete("/api/suppressions/email/{address}", email).then().statusCode(204);
    api().get("/api/suppressions/email/{address}", email).then().statusCode(404);
    assertThat(awaitFinal(send(profileId, Channel.EMAIL, Purpose.TRANSACTIONAL, key)).status()).isEqualTo("sent");
  }

  @Test
  void marketingDueInTheNightWaitsUntilQuietHoursEndWhileTransactionalGoesAtOnce() {
    String key = approvedCreative("night");
    ZoneOffset night = offsetWhereItIsNow(LocalTime.of(2, 0));
    String profileId = profile(Map.of("email", uniqueEmail("night")), Map.of("timezone", night.getId()));
    setConsent(profileId, "email", "marketing", "granted");

    String marketing = send(profileId, Channel.EMAIL, Purpose.MARKETING, key);
    String transactional = send(profileId, Channel.EMAIL, Purpose.TRANSACTIONAL, key);

    assertThat(awaitFinal(transactional).status()).isEqualTo("sent");
    Delivery waiting = await().atMost(Duration.ofSeconds(20))
        .until(() -> deliveries.find(marketing).orElseThrow(), d -> d.reason() != null && d.reason().contains("quiet hours"));
    Instant opens = ZonedDateTime.now(night).with(LocalTime.of(8, 0)).toInstant();
    assertThat(waiting.status()).isEqualTo("pending");
    assertThat(waiting.dueAt()).isEqualTo(opens);
    assertThat(waiting.attempts()).as("a deferral is not a failed attempt").isZero();
  }

  @Test
  void theFourthMarketingSmsInSevenDaysIsSuppressedButTransactionalStillGoes() {
    String key = approvedCreative("cap");
    String profileId = profile(Map.of("phone", uniquePhone()), Map.of());
    setConsent(profileId, "sms", "marketing", "granted");

    for (int i = 0; i < 3; i++) {
      assertThat(awaitFinal(send(profileId, Channel.SMS, Purpose.MARKETING, key)).status()).isEqualTo("sent");
    }
    Delivery fourth = awaitFinal(send(profileId, Channel.SMS, Purpose.MARKETING, key));
    assertThat(fourth.status()).isEqualTo("suppressed");
    assertThat(fourth.reason()).isEqualTo("frequency cap reached: 3 per 7 days sms");
    assertThat(awaitFinal(send(profileId, Channel.SMS, Purpose.TRANSACTIONAL, key)).status()).isEqualTo("sent");
  }

  @Test
  void preferredChannelIsUsedWhenReachableElseTheFallbacksInOrder() {
    String key = approvedCreative("shipped");
    String withPhone = profile(Map.of("email", uniqueEmail("pref"), "phone", uniquePhone()), Map.of("preferredChannel", "sms"));
    String withoutPhone = profile(Map.of("email", uniqueEmail("nophone")), Map.of("preferredChannel", "sms"));
    String optedOut = profile(Map.of("email", uniqueEmail("optout"), "phone", uniquePhone()), Map.of("preferredChannel", "sms"));
    setConsent(optedOut, "sms", "transactional", "revoked");

    List<Channel> fallbacks = List.of(Channel.PUSH, Channel.EMAIL);
    Delivery a = awaitFinal(deliveries.enqueuePreferred(withPhone, fallbacks, Purpose.TRANSACTIONAL, key, TEST_ORIGIN));
    Delivery b = awaitFinal(deliveries.enqueuePreferred(withoutPhone, fallbacks, Purpose.TRANSACTIONAL, key, TEST_ORIGIN));
    Delivery c = awaitFinal(deliveries.enqueuePreferred(optedOut, fallbacks, Purpose.TRANSACTIONAL, key, TEST_ORIGIN));

    assertThat(List.of(a.channel(), a.status())).containsExactly("sms", "sent");
    assertThat(List.of(b.channel(), b.status())).containsExactly("email", "sent");
    assertThat(List.of(c.channel(), c.status())).as("opted out of SMS: falls back, push has no device").containsExactly("email", "sent");
  }

  /** A fixed offset in which the local time now is about {@code local}. */
  static ZoneOffset offsetWhereItIsNow(LocalTime local) {
    int utcHour = ZonedDateTime.now(ZoneOffset.UTC).getHour();
    int hours = ((local.getHour() - utcHour) % 24 + 24) % 24;
    return ZoneOffset.ofHours(hours > 14 ? hours - 24 : hours);
  }
}
