package dev.overture.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.consent.SendGuard;
import dev.overture.delivery.internal.TrackingTokens;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every way a customer revokes answers only once the sends in flight to them are done: while a send holds the
 * profile's guard as the dispatcher does between its last check and the provider's answer, the revocation
 * does not answer; once the send is through, it does, and the next send's check sees it.
 */
class RevocationPathsTest extends DeliveryTestBase {

  private static final Duration HELD = Duration.ofMillis(600);

  @Autowired
  SendGuard guard;

  @Autowired
  Consents consents;

  @Autowired
  TrackingTokens tokens;

  @Autowired
  TransactionTemplate tx;

  private final ExecutorService threads = Executors.newFixedThreadPool(2);

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  @Test
  void aRevocationOverTheApiWaitsForTheSendInFlight() throws Exception {
    Customer c = revokeWhileASendIsInFlight(Channel.EMAIL, Purpose.MARKETING, who -> api()
        .body(Map.of("purpose", "marketing", "status", "revoked", "source", "test"))
        .put("/api/profiles/{id}/consents/email", who.id()).then().statusCode(200));
    assertThat(checkNow(c, Channel.EMAIL, Purpose.MARKETING).allowed()).isFalse();
  }

  @Test
  void aOneClickUnsubscribeWaitsForTheSendInFlight() throws Exception {
    Customer c = revokeWhileASendIsInFlight(Channel.EMAIL, Purpose.MARKETING, who -> {
      String url = tokens.unsubscribeUrl(UUID.randomUUID().toString(), who.id(), "email");
      RestAssured.given().post(url.substring(url.indexOf("/t/u/"))).then().statusCode(200);
    });
    assertThat(checkNow(c, Channel.EMAIL, Purpose.MARKETING).allowed()).isFalse();
  }

  @Test
  void anSmsStopWaitsForTheSendInFlight() throws Exception {
    Customer c = revokeWhileASendIsInFlight(Channel.SMS, Purpose.TRANSACTIONAL, who -> api()
        .body(Map.of("from", who.phone(), "text", "STOP", "messageId", uniqueKey("stop")))
        .post("/api/delivery/sms/inbound").then().statusCode(200));
    assertThat(checkNow(c, Channel.SMS, Purpose.TRANSACTIONAL).allowed()).isFalse();
  }

  @Test
  void aSuppressionWaitsForTheSendInFlightToTheAddress() throws Exception {
    Customer c = revokeWhileASendIsInFlight(Channel.EMAIL, Purpose.TRANSACTIONAL, who -> api()
        .body(Map.of("channel", "email", "address", who.email(), "reason", "complaint"))
        .post("/api/suppressions").then().statusCode(201));
    assertThat(checkNow(c, Channel.EMAIL, Purpose.TRANSACTIONAL).suppressed()).containsKey(c.email());
  }

  @Test
  void anErasureWaitsForTheSendInFlightAndRefusesEveryLaterOne() throws Exception {
    // transactional: with the ledger erased, its default would let the message go
    Customer c = revokeWhileASendIsInFlight(Channel.EMAIL, Purpose.TRANSACTIONAL,
        who -> api().delete("/api/profiles/{id}", who.id()).then().statusCode(200));
    SendGuard.Check after = checkNow(c, Channel.EMAIL, Purpose.TRANSACTIONAL);
    assertThat(after.erased()).isTrue();
    assertThat(after.allowed()).isFalse();
  }

  record Customer(String id, String email, String phone) {}

  private Customer customer(Channel channel, Purpose purpose) {
    String email = uniqueEmail("paths");
    String phone = uniquePhone();
    String id = profile(Map.of("email", email, "phone", phone), Map.of("firstName", "Pat"));
    consents.record(id, channel, purpose, true, "test", "test");
    return new Customer(id, email, phone);
  }

  /**
   * For a new customer with consent: holds the guard as a send does, runs the revocation, and checks that it
   * answers only after the send let go.
   */
  private Customer revokeWhileASendIsInFlight(Channel channel, Purpose purpose, Consumer<Customer> revocation) throws Exception {
    // once for another customer first, so that the path's first-call costs do not pass for waiting
    revocation.accept(customer(channel, purpose));
    Customer c = customer(channel, purpose);
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch sent = new CountDownLatch(1);
    Future<SendGuard.Check> send = threads.submit(() -> tx.execute(s -> {
      SendGuard.Check check = guard.hold(c.id(), channel, purpose, List.of(address(c, channel)));
      held.countDown();
      try {
        sent.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return check;
    }));
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    Future<?> revoked = threads.submit(() -> revocation.accept(c));
    await().during(HELD).atMost(HELD.multipliedBy(3)).until(() -> !revoked.isDone());
    sent.countDown();
    assertThat(send.get(10, TimeUnit.SECONDS).allowed()).as("the send in flight had consent").isTrue();
    revoked.get(10, TimeUnit.SECONDS);
    return c;
  }

  private SendGuard.Check checkNow(Customer c, Channel channel, Purpose purpose) {
    return tx.execute(s -> guard.hold(c.id(), channel, purpose, List.of(address(c, channel))));
  }

  private static String address(Customer c, Channel channel) {
    return channel == Channel.SMS ? c.phone() : c.email();
  }
}
