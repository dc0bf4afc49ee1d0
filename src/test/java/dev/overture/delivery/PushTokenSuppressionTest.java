package dev.overture.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import dev.overture.consent.Suppressions;
import dev.overture.support.TestHttpProviders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Dead device tokens go on the suppression list, and pushes go only to the tokens that are not on it. */
class PushTokenSuppressionTest extends DeliveryTestBase {

  @Autowired Suppressions suppressions;
  @Autowired ObjectMapper json;

  private static String token(String name) {
    return "tok-" + name + "-" + UUID.randomUUID();
  }

  /** The device tokens of every push request for this message, in order. */
  private List<List<String>> pushedTokens(String outboxId) throws Exception {
    List<List<String>> out = new ArrayList<>();
    for (var request : TestHttpProviders.server().findAll(postRequestedFor(urlEqualTo("/push"))
        .withHeader("Idempotency-Key", equalTo(outboxId)))) {
      List<String> tokens = new ArrayList<>();
      for (JsonNode t : json.readTree(request.getBodyAsString()).path("tokens")) {
        tokens.add(t.asText());
      }
      out.add(tokens);
    }
    return out;
  }

  @Test
  void aTokenThePushProviderAnswers410ForIsSuppressedAndTheNextPushIsSuppressedWithAReason() {
    String key = approvedCreative("gone");
    String dead = token("gone");
    String profileId = profile(Map.of("deviceToken", dead), Map.of());
    TestHttpProviders.server().stubFor(post(urlEqualTo("/push")).withRequestBody(matchingJsonPath("$.tokens[0]", equalTo(dead)))
        .willReturn(aResponse().withStatus(410).withBody("{\"reason\":\"Unregistered\"}")));

    Delivery first = awaitFinal(send(profileId, Channel.PUSH, Purpose.TRANSACTIONAL, key));

    assertThat(first.status()).isEqualTo("bounced");
    assertThat(first.attempts()).isEqualTo(1);
    assertThat(first.reason()).contains("410").contains("device token not registered");
    assertThat(suppressions.find(Channel.PUSH, dead).orElseThrow().reason()).isEqualTo("hard-bounce");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM customer_event WHERE event_id = ?").param(first.id() + ":bounced")
        .query(Integer.class).single()).isEqualTo(1);

    Delivery second = awaitFinal(send(profileId, Channel.PUSH, Purpose.TRANSACTIONAL, key));
    assertThat(second.status()).isEqualTo("suppressed");
    assertThat(second.reason()).isEqualTo("every device token of the profile is on the suppression list");
    TestHttpProviders.server().verify(1, postRequestedFor(urlEqualTo("/push")).withRequestBody(containing(dead)));
  }

  @Test
  void aPushGoesOnlyToTheTokensThatAreNotSuppressedAndA404AlsoMeansUnregistered() throws Exception {
    String key = approvedCreative("live");
    String old = token("old");
    String current = token("current");
    String profileId = profileWithTokens(old, current);
    api().body(Map.of("channel", "push", "address", old, "reason", "manual")).post("/api/suppressions").then().statusCode(201);

    String id = send(profileId, Channel.PUSH, Purpose.TRANSACTIONAL, key);

    assertThat(awaitFinal(id).status()).isEqualTo("sent");
    assertThat(pushedTokens(id)).containsExactly(List.of(current));

    TestHttpProviders.server().stubFor(post(urlEqualTo("/push")).withRequestBody(matchingJsonPath("$.tokens[0]", equalTo(current)))
        .willReturn(aResponse().withStatus(404).withBody("{\"error\":\"UNREGISTERED\"}")));
    Delivery refused = awaitFinal(send(profileId, Channel.PUSH, Purpose.TRANSACTIONAL, key));
    assertThat(refused.status()).isEqualTo("bounced");
    assertThat(suppressions.find(Channel.PUSH, current).orElseThrow().reason()).isEqualTo("hard-bounce");
  }

  @Test
  void aHardBounceReportedForAPushSuppressesTheTokenTheProviderNamed() throws Exception {
    String key = approvedCreative("fb");
    String a = token("a");
    String b = token("b");
    String profileId = profileWithTokens(a, b);
    String id = send(profileId, Channel.PUSH, Purpose.TRANSACTIONAL, key);
    assertThat(awaitFinal(id).status()).isEqualTo("sent");
    assertThat(pushedTokens(id)).containsExactly(List.of(a, b));

    api().body(Map.of("type", "hard_bounce")).post("/api/deliveries/{id}/feedback", id)
        .then().statusCode(400).body("type", containsString("device-token-required"));
    api().body(Map.of("type", "hard_bounce", "deviceToken", a, "detail", "BadDeviceToken")).post("/api/deliveries/{id}/feedback", id)
        .then().statusCode(200);

    assertThat(deliveries.find(id).orElseThrow().status()).isEqualTo("bounced");
    assertThat(suppressions.find(Channel.PUSH, a).orElseThrow().reason()).isEqualTo("hard-bounce");
    assertThat(suppressions.isSuppressed(Channel.PUSH, b)).isFalse();
    String next = send(profileId, Channel.PUSH, Purpose.TRANSACTIONAL, key);
    assertThat(awaitFinal(next).status()).isEqualTo("sent");
    assertThat(pushedTokens(next)).containsExactly(List.of(b));

    // a push that went to one token: the report need not name it
    String only = token("only");
    String single = profile(Map.of("deviceToken", only), Map.of());
    String one = send(single, Channel.PUSH, Purpose.TRANSACTIONAL, key);
    assertThat(awaitFinal(one).status()).isEqualTo("sent");
    api().body(Map.of("type", "hard_bounce")).post("/api/deliveries/{id}/feedback", one).then().statusCode(200);
    assertThat(suppressions.isSuppressed(Channel.PUSH, only)).isTrue();
  }

  @Test
  void aPreferredPushWhoseTokensAreAllSuppressedFallsBackToEmail() {
    String key = approvedCreative("pref");
    String dead = token("pref");
    String profileId = profile(Map.of("email", uniqueEmail("pushpref"), "deviceToken", dead), Map.of("preferredChannel", "push"));
    api().body(Map.of("channel", "push", "address", dead, "reason", "hard-bounce")).post("/api/suppressions").then().statusCode(201);

    String id = deliveries.enqueuePreferred(profileId, List.of(Channel.EMAIL), Purpose.TRANSACTIONAL, key, TEST_ORIGIN);

    Delivery done = awaitFinal(id);
    assertThat(done.channel()).isEqualTo("email");
    assertThat(done.status()).isEqualTo("sent");
  }
}
