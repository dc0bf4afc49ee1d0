package dev.overture.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import dev.overture.consent.Suppressions;
import dev.overture.support.ProviderKeys;
import dev.overture.support.TestHttpProviders;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Push through FCM HTTP v1 against a WireMock that answers as Google documents it: the service account's signed JWT
 * exchanged for an access token at its token URI, {@code messages:send} per device token, {@code UNREGISTERED} for a
 * dead token, which is suppressed while the live one gets the push.
 */
class FcmPushTest extends ProviderAdaptersTestBase {

  private static final String SEND = "/fcm/v1/projects/" + FCM_PROJECT + "/messages:send";
  private static final String ACCESS_TOKEN = "ya29.access-token-for-tests";

  @Autowired Suppressions suppressions;
  @Autowired ObjectMapper json;

  @BeforeEach
  void googleAnswers() {
    TestHttpProviders.server().stubFor(post(urlEqualTo("/fcm/token")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"access_token\":\"" + ACCESS_TOKEN + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}")));
    TestHttpProviders.server().stubFor(post(urlEqualTo(SEND)).atPriority(50).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"name\":\"projects/" + FCM_PROJECT + "/messages/0:" + UUID.randomUUID() + "\"}")));
  }

  @Test
  void aPushGoesOutThroughFcmWithTheServiceAccountsAccessToken() throws Exception {
    String token = fcmToken();
    String profileId = profile(Map.of("deviceToken", token), Map.of("firstName", "Ada"));

    Delivery d = awaitFinal(send(profileId, Channel.PUSH, Purpose.TRANSACTIONAL, approvedCreative("fcm")));

    assertThat(d.status()).isEqualTo("sent");
    List<LoggedRequest> sends = sendsTo(token);
    assertThat(sends).hasSize(1);
    assertThat(sends.get(0).getHeader("Authorization")).isEqualTo("Bearer " + ACCESS_TOKEN);
    JsonNode message = json.readTree(sends.get(0).getBodyAsString()).path("message");
    assertThat(message.path("notification").path("title").asText()).isEqualTo("Hi Ada");
    assertThat(message.path("notification").path("body").asText()).isEqualTo("20% off today");
    assertThat(message.path("data").path("outboxId").asText()).isEqualTo(d.id());

    // the access token came from the JWT bearer grant, signed with the service account's key
    LoggedRequest grant = TestHttpProviders.server().findAll(postRequestedFor(urlEqualTo("/fcm/token"))).get(0);
    Map<String, String> form = form(grant.getBodyAsString());
    assertThat(form.get("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer");
    String[] jwt = form.get("assertion").split("\\.");
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initVerify(ProviderKeys.rsa().getPublic());
    rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(rs256.verify(Base64.getUrlDecoder().decode(jwt[2]))).isTrue();
    JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(jwt[1]));
    assertThat(claims.path("iss").asText()).isEqualTo(FCM_CLIENT_EMAIL);
    assertThat(claims.path("scope").asText()).contains("https://www.googleapis.com/auth/firebase.messaging");
  }

  @Test
  void anUnregisteredTokenIsSuppressedWhileTheLiveOneGetsThePush() {
    String dead = fcmToken();
    String live = fcmToken();
    unregistered(dead);
    String profileId = profileWithTokens(dead, live);
    String key = approvedCreative("fcm-dead");

    Delivery first = awaitFinal(send(profileId, Channel.PUSH, Purpose.TRANSACTIONAL, key));

    assertThat(first.status()).isEqualTo("sent");
    assertThat(suppressions.find(Channel.PUSH, dead).orElseThrow().reason()).isEqualTo("hard-bounce");
    assertThat(suppressions.isSuppressed(Channel.PUSH, live)).isFalse();
    assertThat(sendsTo(dead)).hasSize(1);

    Delivery second = awaitFinal(send(profileId, Channel.PUSH, Purpose.TRANSACTIONAL, key));
    assertThat(second.status()).isEqualTo("sent");
    assertThat(sendsTo(dead)).hasSize(1);
    assertThat(sendsTo(live)).hasSize(2);
  }

  @Test
  void aPushWhoseOnlyTokenIsUnregisteredBouncesOnce() {
    String dead = fcmToken();
    unregistered(dead);
    String profileId = profile(Map.of("deviceToken", dead), Map.of());

    Delivery d = awaitFinal(send(profileId, Channel.PUSH, Purpose.TRANSACTIONAL, approvedCreative("fcm-gone")));

    assertThat(d.status()).isEqualTo("bounced");
    assertThat(d.attempts()).isEqualTo(1);
    assertThat(suppressions.find(Channel.PUSH, dead).orElseThrow().reason()).isEqualTo("hard-bounce");
  }

  @Test
  void aThrottledPushWaitsForFcmAndAnInvalidMessageFailsAtOnce() {
    String busy = fcmToken();
    TestHttpProviders.server().stubFor(post(urlEqualTo(SEND)).atPriority(10).withRequestBody(matchingJsonPath("$.message.token",
            com.github.tomakehurst.wiremock.client.WireMock.equalTo(busy)))
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600").withHeader("Content-Type", "application/json")
            .withBody("{\"error\":{\"code\":429,\"message\":\"Quota exceeded\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":"
                + "[{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\",\"errorCode\":\"QUOTA_EXCEEDED\"}]}}")));
    String id = send(profile(Map.of("deviceToken", busy), Map.of()), Channel.PUSH, Purpose.TRANSACTIONAL, approvedCreative("fcm-busy"));

    org.awaitility.Awaitility.await().until(() -> deliveries.find(id).orElseThrow(),
        d -> "pending".equals(d.status()) && d.attempts() == 1);
    // back in the outbox for FCM's hour, not the backoff's fraction of a second
    assertThat(deliveries.find(id).orElseThrow().dueAt()).isAfter(java.time.Instant.now().plusSeconds(3000));

    String invalid = fcmToken();
    TestHttpProviders.server().stubFor(post(urlEqualTo(SEND)).atPriority(10).withRequestBody(containing(invalid))
        .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
            .withBody("{\"error\":{\"code\":400,\"message\":\"Invalid JSON payload\",\"status\":\"INVALID_ARGUMENT\",\"details\":"
                + "[{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\",\"errorCode\":\"INVALID_ARGUMENT\"}]}}")));
    Delivery failed = awaitFinal(send(profile(Map.of("deviceToken", invalid), Map.of()), Channel.PUSH, Purpose.TRANSACTIONAL,
        approvedCreative("fcm-invalid")));
    assertThat(failed.status()).isEqualTo("failed");
    assertThat(failed.reason()).contains("400").contains("INVALID_ARGUMENT");
    assertThat(suppressions.isSuppressed(Channel.PUSH, invalid)).isFalse();
  }

  private void unregistered(String token) {
    TestHttpProviders.server().stubFor(post(urlEqualTo(SEND)).atPriority(10).withRequestBody(containing(token))
        .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
            .withBody("{\"error\":{\"code\":404,\"message\":\"Requested entity was not found.\",\"status\":\"NOT_FOUND\","
                + "\"details\":[{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\",\"errorCode\":\"UNREGISTERED\"}]}}")));
  }

  private static List<LoggedRequest> sendsTo(String token) {
    return TestHttpProviders.server().findAll(postRequestedFor(urlEqualTo(SEND)).withRequestBody(containing(token)));
  }

  /** A registration token of the shape FCM hands out: an instance id, a colon, a long opaque part. */
  private static String fcmToken() {
    return "fcm" + UUID.randomUUID().toString().substring(0, 8) + ":APA91b" + HexFormat.of().formatHex(UUID.randomUUID().toString()
        .getBytes(StandardCharsets.US_ASCII));
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new java.util.HashMap<>();
    for (String pair : body.split("&")) {
      String[] kv = pair.split("=", 2);
      out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return out;
  }
}
