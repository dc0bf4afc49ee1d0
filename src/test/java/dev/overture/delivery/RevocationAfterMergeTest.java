package dev.overture.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.delivery.internal.TrackingTokens;
import dev.overture.profile.Profiles;
import io.restassured.RestAssured;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A revocation that names a profile by an id merged away counts for the survivor, whose ledger decides its sends. */
class RevocationAfterMergeTest extends DeliveryTestBase {

  @Autowired
  Profiles profiles;

  @Autowired
  Consents consents;

  @Autowired
  TrackingTokens tokens;

  @Test
  void anUnsubscribeLinkSentBeforeAMergeRevokesTheSurvivorsConsent() {
    String survivor = mergedPair();
    String mergedAway = profiles.aliasesOf(survivor).get(0);
    String url = tokens.unsubscribeUrl(UUID.randomUUID().toString(), mergedAway, "email");

    RestAssured.given().post(url.substring(url.indexOf("/t/u/"))).then().statusCode(200);

    assertThat(consents.decide(survivor, Channel.EMAIL, Purpose.MARKETING).allowed()).isFalse();
  }

  @Test
  void aRevocationOverTheApiThroughTheOldIdRevokesTheSurvivorsConsent() {
    String survivor = mergedPair();
    String mergedAway = profiles.aliasesOf(survivor).get(0);

    api().body(Map.of("purpose", "marketing", "status", "revoked", "source", "test"))
        .put("/api/profiles/{id}/consents/email", mergedAway).then().statusCode(200);

    assertThat(consents.decide(survivor, Channel.EMAIL, Purpose.MARKETING).allowed()).isFalse();
  }

  /** Two profiles that each granted marketing email, merged; returns the survivor. */
  private String mergedPair() {
    String a = createProfile(uniqueEmail("merge-a"), "Ada");
    String b = createProfile(uniqueEmail("merge-b"), "Ada");
    consents.record(a, Channel.EMAIL, Purpose.MARKETING, true, "test", "test");
    consents.record(b, Channel.EMAIL, Purpose.MARKETING, true, "test", "test");
    return profiles.merge(a, b, "test");
  }
}
