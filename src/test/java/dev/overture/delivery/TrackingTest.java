package dev.overture.delivery;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.delivery.internal.TrackingTokens;
import dev.overture.support.TestMail;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Open pixel, click redirect and unsubscribe: public, HMAC-signed, never an open redirect. */
class TrackingTest extends DeliveryTestBase {

  @Autowired
  TrackingTokens tokens;

  @Autowired
  Consents consents;

  @Test
  void openPixelIsPublicAndRecordsOneOpenedEventPerMessage() {
    String profileId = createProfile(uniqueEmail("open"), "Ada");
    String url = tokens.openUrl("outbox-open-" + profileId, profileId, "email");
    String path = url.substring(url.indexOf("/t/"));

    given().get(path).then().statusCode(200).contentType("image/gif");
    given().get(path).then().statusCode(200);

    assertThat(eventTypes(profileId)).containsExactly("message.opened");
  }

  @Test
  void clickRedirectsOnlyToTheUrlInsideTheSignedToken() {
    String profileId = createProfile(uniqueEmail("click"), "Ada");
    String url = tokens.clickUrl("outbox-click-" + profileId, profileId, "email", "https://shop.example.com/offer?x=1");
    String path = url.substring(url.indexOf("/t/"));

    given().redirects().follow(false).get(path + "?url=https://evil.example.net").then().statusCode(302)
        .header("Location", "https://shop.example.com/offer?x=1");
    assertThat(eventTypes(profileId)).containsExactly("message.clicked");
  }

  @Test
  void aTamperedOrMisusedTokenIsRefused() {
    String url = tokens.clickUrl("outbox-x", "profile-x", "email", "https://shop.example.com/");
    String token = url.substring(url.lastIndexOf('/') + 1);
    String forged = tokens.clickUrl("outbox-x", "profile-x", "email", "https://evil.example.net/")
        .substring(url.lastIndexOf('/') + 1).split("\\.")[0] + "." + token.split("\\.")[1];
    String open = tokens.openUrl("outbox-x", "profile-x", "email");

    given().redirects().follow(false).get("/t/c/" + forged).then().statusCode(400)
        .contentType("application/problem+json");
    given().redirects().follow(false).get("/t/c/" + open.substring(open.lastIndexOf('/') + 1)).then().statusCode(400);
    given().get("/t/o/not-a-token").then().statusCode(400);
  }

  @Test
  void oneClickUnsubscribeFromTheEmailHeaderRevokesMarketingConsent() throws Exception {
    String key = approvedCreative("unsub");
    String email = uniqueEmail("unsub");
    String profileId = createProfile(email, "Ada");
    setConsent(profileId, "email", "marketing", "granted");
    awaitFinal(send(profileId, Channel.EMAIL, Purpose.MARKETING, key));
    String header = await().atMost(Duration.ofSeconds(10)).until(() -> TestMail.to(email), m -> m.size() == 1)
        .get(0).getHeader("List-Unsubscribe")[0];
    String path = header.substring(header.indexOf("/t/u/"), header.length() - 1);

    given().get(path).then().statusCode(200);
    assertThat(consents.allows(profileId, Channel.EMAIL, Purpose.MARKETING)).as("a GET alone unsubscribes nobody").isTrue();

    given().contentType("application/x-www-form-urlencoded").formParam("List-Unsubscribe", "One-Click")
        .post(path).then().statusCode(200);
    assertThat(consents.allows(profileId, Channel.EMAIL, Purpose.MARKETING)).isFalse();
    assertThat(consents.current(profileId, Channel.EMAIL, Purpose.MARKETING).orElseThrow().source()).isEqualTo("unsubscribe-link");
    assertThat(eventTypes(profileId)).contains("message.unsubscribed");
  }

  private java.util.List<String> eventTypes(String profileId) {
    return jdbc.sql("SELECT type FROM customer_event WHERE profile_id = ? AND type IN ('message.opened','message.clicked','message.unsubscribed')")
        .param(profileId).query(String.class).list();
  }
}
