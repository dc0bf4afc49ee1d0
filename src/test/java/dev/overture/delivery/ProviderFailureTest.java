package dev.overture.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import dev.overture.consent.Suppressions;
import dev.overture.support.RejectingSmtpServer;
import dev.overture.support.TestHttpProviders;
import dev.overture.support.TestMail;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** Provider outages are retried with backoff and end in exactly one delivery; permanent refusals fail at once. */
class ProviderFailureTest extends DeliveryTestBase {

  @Autowired
  Suppressions suppressions;

  @Autowired
  TransactionTemplate tx;

  @Test
  void aClaimLeftByANodeThatDiedIsTakenAgainAndSentOnceUnderTheSameId() {
    String key = approvedCreative("expired");
    String phone = uniquePhone();
    String profileId = profile(Map.of("phone", phone), Map.of());
    // as a node leaves it that claimed the row and died before recording anything: sending, lease over
    String id = tx.execute(s -> {
      String queued = send(profileId, Channel.SMS, Purpose.TRANSACTIONAL, key);
      jdbc.sql("UPDATE outbox_message SET status = 'sending', attempts = 1, claimed_until = ? WHERE id = ?")
          .params(java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(60)), queued).update();
      return queued;
    });

    Delivery done = awaitFinal(id);
    assertThat(done.status()).isEqualTo("sent");
    assertThat(done.attempts()).as("the dead node's claim counts as an attempt").isEqualTo(2);
    TestHttpProviders.server().verify(1, postRequestedFor(urlEqualTo("/sms")).withHeader("Idempotency-Key", equalTo(id)));
  }

  @Test
  void hardBounceIsNotRetriedAndPutsTheAddressOnTheSuppressionList() throws Exception {
    String key = approvedCreative("bounce");
    String email = uniqueEmail("bounce");
    String profileId = createProfile(email, "Ada");
    TestMail.stop();
    Delivery done;
    try (RejectingSmtpServer rejecting = new RejectingSmtpServer(TestMail.port())) {
      done = awaitFinal(send(profileId, Channel.EMAIL, Purpose.TRANSACTIONAL, key));
    } finally {
      TestMail.restart();
    }
    assertThat(done.status()).isEqualTo("bounced");
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(done.reason()).contains("550");
    assertThat(suppressions.find(Channel.EMAIL, email).orElseThrow().reason()).isEqualTo("hard-bounce");
    await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("SELECT COUNT(*) FROM customer_event WHERE event_id = ?")
        .param(done.id() + ":bounced").query(Integer.class).single() == 1);
  }

  @Test
  void smsProviderAnswering503IsRetriedAndDeliversOnceWhenItRecovers() {
    String key = approvedCreative("retry");
    String phone = uniquePhone();
    String profileId = profile(Map.of("phone", phone), Map.of());
    StubMapping down = TestHttpProviders.server().stubFor(post(urlEqualTo("/sms"))
        .withRequestBody(matchingJsonPath("$.to", equalTo(phone))).willReturn(aResponse().withStatus(503)));

    String id = send(profileId, Channel.SMS, Purpose.TRANSACTIONAL, key);
    await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.find(id).orElseThrow().attempts() >= 2);
    assertThat(deliveries.find(id).orElseThrow().reason()).contains("503");
    TestHttpProviders.server().removeStub(down);

    Delivery done = awaitFinal(id);
    assertThat(done.status()).isEqualTo("sent");
    int calls = TestHttpProviders.server().findAll(postRequestedFor(urlEqualTo("/sms"))
        .withRequestBody(matchingJsonPath("$.to", equalTo(phone)))).size();
    assertThat(calls).as("one call per attempt, all with the same idempotency key").isEqualTo(done.attempts());
    TestHttpProviders.server().verify(calls, postRequestedFor(urlEqualTo("/sms")).withHeader("Idempotency-Key", equalTo(id)));
    long accepted = TestHttpProviders.server().getAllServeEvents().stream()
        .filter(e -> id.equals(e.getRequest().getHeader("Idempotency-Key")) && e.getResponse().getStatus() == 200)
        .count();
    assertThat(accepted).as("delivered once").isEqualTo(1);
  }

  @Test
  void permanent400FailsWithTheProvidersReasonAndIsNotRetried() {
    String key = approvedCreative("permanent");
    String phone = uniquePhone();
    String profileId = profile(Map.of("phone", phone), Map.of());
    TestHttpProviders.server().stubFor(post(urlEqualTo("/sms")).withRequestBody(matchingJsonPath("$.to", equalTo(phone)))
        .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"number not mobile\"}")));

    String id = send(profileId, Channel.SMS, Purpose.TRANSACTIONAL, key);

    Delivery done = awaitFinal(id);
    assertThat(done.status()).isEqualTo("failed");
    assertThat(done.reason()).contains("400").contains("number not mobile");
    assertThat(done.attempts()).isEqualTo(1);
    TestHttpProviders.server().verify(1, postRequestedFor(urlEqualTo("/sms")).withHeader("Idempotency-Key", equalTo(id)));
  }

  @Test
  void refusedSmtpConnectionIsRetriedAndTheEmailArrivesOnceWhenTheServerIsBack() {
    String key = approvedCreative("smtp");
    String email = uniqueEmail("smtpdown");
    String profileId = createProfile(email, "Ada");
    TestMail.stop();
    String id;
    try {
      id = send(profileId, Channel.EMAIL, Purpose.TRANSACTIONAL, key);
      await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.find(id).orElseThrow().attempts() >= 2);
      assertThat(deliveries.find(id).orElseThrow().status()).isIn("pending", "sending");
    } finally {
      TestMail.restart();
    }
    assertThat(awaitFinal(id).status()).isEqualTo("sent");
    await().atMost(Duration.ofSeconds(10)).until(() -> TestMail.to(email).size() == 1);
    assertThat(TestMail.to(email)).hasSize(1);
  }
}
