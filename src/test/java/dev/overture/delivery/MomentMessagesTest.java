package dev.overture.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import dev.overture.event.CustomerEvent;
import dev.overture.event.Events;
import dev.overture.support.TestHttpProviders;
import dev.overture.support.TestMail;
import jakarta.mail.internet.MimeMessage;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Messages that speak about the moment, read where they arrive (GreenMail, WireMock): the sample
 * journeys' cart, order and store; the context kept from the Send step; previews and test sends.
 */
class MomentMessagesTest extends DeliveryTestBase {

  private static final String EURO = "\u00a0€";
  private static final Pattern CLICK = Pattern.compile("href=\"[^\"]*(/t/c/[^\"]+)\"");

  @Autowired
  RuntimeService runtime;

  @Autowired
  ManagementService management;

  @Autowired
  Events events;

  @Autowired
  TransactionTemplate tx;

  @Test
  void aGermanCustomerWhoAbandonsATwoItemCartGetsAGermanReminderListingBothItemsAndTheTotalInEuros() throws Exception {
    String email = uniqueEmail("warenkorb");
    String profileId = profile(Map.of("email", email), Map.of("firstName", "Jonas", "locale", "de-DE"));
    setConsent(profileId, "email", "marketing", "granted");
    String cartId = "c-" + UUID.randomUUID();
    String cartUrl = "https://shop.example.com/cart/" + cartId;

    postEvent(profileId, "cart.abandoned", cartEvent(cartId, cartUrl));
    String instance = await().atMost(Duration.ofSeconds(30)).until(() -> instanceOf(profileId, "abandoned-cart"), i -> i != null);
    Job hourPassed = management.createJobQuery().timers().processInstanceId(instance).singleResult();
    management.executeJob(hourPassed.getId());

    MimeMessage mail = awaitMail(email);
    assertThat(mail.getSubject()).isEqualTo("Jonas, dein Warenkorb wartet auf dich");
    String text = TestMail.part(mail, "text/plain");
    assertThat(text).contains("Hallo Jonas,", "2 × Tasse: 12,45" + EURO, "1 × Grüner Tee: 25,00" + EURO, "Summe: 49,90" + EURO)
        .doesNotContain("{{", "Total");
    String html = TestMail.part(mail, "text/html");
    assertThat(html).contains("<td>2 × Tasse</td><td>12,45" + EURO + "</td>", "<strong>49,90" + EURO + "</strong>");
    assertThat(followClick(html)).isEqualTo(cartUrl);
  }

  @Test
  void theShippingNoticeCarriesTheOrderNumberOfTheEventTheJourneyWaitedFor() throws Exception {
    String email = uniqueEmail("shipped");
    String profileId = profile(Map.of("email", email), Map.of("firstName", "Ada"));
    String orderId = "A-" + UUID.randomUUID().toString().substring(0, 6);
    postEvent(profileId, "order.completed", Map.of("orderId", orderId));
    await().atMost(Duration.ofSeconds(30)).until(() -> instanceOf(profileId, "post-purchase") != null);

    postEvent(profileId, "order.shipped", Map.of("orderId", orderId, "trackingUrl", "https://parcel.example.com/" + orderId));

    MimeMessage notice = await().atMost(Duration.ofSeconds(30)).until(() -> TestMail.to(email).stream()
        .filter(m -> subject(m).contains("on its way")).findFirst().orElse(null), m -> m != null);
    assertThat(notice.getSubject()).isEqualTo("Your order " + orderId + " is on its way");
    // the tracking link is only in order.shipped: the notice speaks of the event it waited for, not the one that started it
    assertThat(TestMail.part(notice, "text/plain")).contains("your order " + orderId + " has shipped",
        "Follow it: https://parcel.example.com/" + orderId);
  }

  @Test
  void theStoreVisitPushNamesTheStore() {
    String token = "device-" + UUID.randomUUID();
    String profileId = profile(Map.of("email", uniqueEmail("store"), "deviceToken", token), Map.of("firstName", "Mia"));
    setConsent(profileId, "push", "marketing", "granted");

    postEvent(profileId, "store.entered", Map.of("storeId", "s-42", "storeName", "Berlin Mitte"));

    LoggedRequest push = await().atMost(Duration.ofSeconds(30)).until(() -> TestHttpProviders.server()
        .findAll(postRequestedFor(urlEqualTo("/push")).withRequestBody(containing(token))), l -> !l.isEmpty()).get(0);
    assertThat(push.getBodyAsString()).contains("\"title\":\"Welcome to Berlin Mitte, Mia!\"",
        "at the till of Berlin Mitte today");
  }

  @Test
  void aMessageKeepsTheContextOfItsStepWhenTheProfileChangesBeforeItIsSent() throws Exception {
    String email = uniqueEmail("snapshot");
    String profileId = profile(Map.of("email", email), Map.of("firstName", "Grace"));
    String key = approvedEmail("Hello {{firstName}}", "Hi {{profile.firstName}}: {{event.note}} Code {{journey.coupon}}.", Map.of());
    String eventId = UUID.randomUUID().toString();
    events.ingest(new CustomerEvent(eventId, "note.taken", profileId, null, Map.of("note", "your cart is saved.")));

    // queued and held back in one transaction, so the change below happens before the dispatcher can see the row
    String outboxId = tx.execute(s -> {
      String id = deliveries.enqueue(profileId, Channel.EMAIL, Purpose.TRANSACTIONAL, key, TEST_ORIGIN,
          new Deliveries.Moment(events.find(eventId).orElseThrow().properties(), Map.of("coupon", "SPRING")));
      jdbc.sql("UPDATE outbox_message SET due_at = ? WHERE id = ?").params(Timestamp.from(Instant.now().plusSeconds(3600)), id).update();
      return id;
    });
    api().body(Map.of("identities", Map.of("email", email), "attributes", Map.of("firstName", "Hopper")))
        .post("/api/profiles").then().statusCode(200);
    jdbc.sql("UPDATE outbox_message SET due_at = ? WHERE id = ?").params(Timestamp.from(Instant.now()), outboxId).update();

    assertThat(awaitFinal(outboxId).status()).isEqualTo(Delivery.SENT);
    MimeMessage mail = awaitMail(email);
    assertThat(mail.getSubject()).isEqualTo("Hello Grace");
    assertThat(TestMail.part(mail, "text/plain")).contains("Hi Grace: your cart is saved. Code SPRING.");
  }

  @Test
  void aValueWithNeitherValueNorFallbackFailsTheMessageInsteadOfLeavingAHole() {
    String email = uniqueEmail("hole");
    String profileId = profile(Map.of("email", email), Map.of("firstName", "Linus"));
    String key = approvedEmail("Your code", "Hi {{firstName}}, your code is {{couponCode}}.", Map.of());

    Delivery failed = awaitFinal(send(profileId, Channel.EMAIL, Purpose.TRANSACTIONAL, key));

    assertThat(failed.status()).isEqualTo(Delivery.FAILED);
    assertThat(failed.reason()).contains("couponCode", "no declared fallback");
    assertThat(TestMail.to(email)).isEmpty();
  }

  @Test
  void aPreviewIsWhatTheProfileWouldReceiveInItsLanguageWithTrackingLinks() {
    String profileId = profile(Map.of("email", uniqueEmail("preview")), Map.of("firstName", "Jonas", "locale", "de-AT"));

    api().body(Map.of("profileId", profileId, "event", cartEvent("c-preview", "https://shop.example.com/cart/c-preview")))
        .post("/api/creatives/cart-reminder/email/versions/2/preview").then().statusCode(200)
        .body("locale", equalTo("de"))
        .body("subject", equalTo("Jonas, dein Warenkorb wartet auf dich"))
        // the German variant, money as Austrians write it
        .body("text", containsString("Summe: €\u00a049,90"))
        .body("text", containsString("/t/u/"))
        .body("html", containsString("/t/c/"))
        .body("html", containsString("/t/o/"));
    // without an event the sections stay away and the declared cart link fills in
    api().body(Map.of("profileId", profileId)).post("/api/creatives/cart-reminder/email/versions/2/preview").then()
        .statusCode(200).body("text", containsString("Zur Bestellung: https://shop.example.com/cart\n"))
        .body("text", org.hamcrest.Matchers.not(containsString("Summe")));
  }

  @Test
  void aPreviewOfAValueWithoutFallbackSaysWhichValueIsMissing() {
    String profileId = profile(Map.of("email", uniqueEmail("preview-hole")), Map.of());
    String key = approvedEmail("Hi", "Your order {{event.orderId}} shipped.", Map.of());

    api().body(Map.of("profileId", profileId)).post("/api/creatives/{key}/email/versions/1/preview", key).then()
        .statusCode(422).contentType("application/problem+json").body("detail", containsString("event"));
    api().body(Map.of("profileId", profileId, "event", Map.of("orderId", "A-7")))
        .post("/api/creatives/{key}/email/versions/1/preview", key).then().statusCode(200)
        .body("text", startsWith("Your order A-7 shipped.\n"));
  }

  @Test
  void aTestSendGoesOnlyToTheSeedListMarkedTestAndCountsForNothing() throws Exception {
    String email = uniqueEmail("tested");
    String profileId = profile(Map.of("email", email), Map.of("firstName", "Jonas", "locale", "de-DE"));
    String subjectMark = "[TEST] Jonas, dein Warenkorb wartet auf dich";

    api().body(Map.of("profileId", profileId, "event", cartEvent("c-test", "https://shop.example.com/cart/c-test"),
            "to", List.of("customer@example.com")))
        .post("/api/creatives/cart-reminder/email/versions/2/test-send").then().statusCode(422)
        .body("type", containsString("not-on-seed-list"));
    String id = api().body(Map.of("profileId", profileId, "event", cartEvent("c-test", "https://shop.example.com/cart/c-test")))
        .post("/api/creatives/cart-reminder/email/versions/2/test-send").then().statusCode(200)
        .body("rendered.subject", equalTo(subjectMark))
        .body("deliveries[0].recipient", equalTo(SEED_EMAIL))
        .body("deliveries[0].status", equalTo("sent"))
        .extract().path("deliveries[0].id");

    MimeMessage mail = TestMail.to(SEED_EMAIL).stream().filter(m -> id.equals(messageId(m))).findFirst().orElseThrow();
    assertThat(mail.getSubject()).isEqualTo(subjectMark);
    assertThat(TestMail.part(mail, "text/plain")).contains("2 × Tasse: 12,45" + EURO);
    assertThat(TestMail.to(email)).isEmpty();
    assertThat(deliveries.ofProfile(profileId)).isEmpty();
    assertThat(jdbc.sql("SELECT status FROM test_delivery WHERE id = ? AND profile_id = ?").params(id, profileId)
        .query(String.class).single()).isEqualTo("sent");
    // a click in a test message redirects but records nothing for the profile
    assertThat(followClick(TestMail.part(mail, "text/html"))).isEqualTo("https://shop.example.com/cart/c-test");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM customer_event WHERE profile_id = ? AND type LIKE 'message.%'").param(profileId)
        .query(Integer.class).single()).isZero();
  }

  @Test
  void aTestSmsGoesThroughTheRealProviderToTheSeedNumber() {
    String profileId = profile(Map.of("email", uniqueEmail("sms-test")), Map.of("firstName", "Mia"));
    Creative sms = creatives.create(new Creative.Draft(uniqueKey("sms-test"), "sms", null, null, null,
        "Hi {{firstName}}, {{event.storeName}} has your size.", null, null, Map.of()), "user:author");

    String id = api().body(Map.of("profileId", profileId, "event", Map.of("storeName", "Hamburg")))
        .post("/api/creatives/{key}/sms/versions/1/test-send", sms.key()).then().statusCode(200)
        .body("deliveries[0].recipient", equalTo(SEED_PHONE))
        .body("rendered.smsBody", startsWith("[TEST] Hi Mia"))
        .extract().path("deliveries[0].id");

    LoggedRequest request = TestHttpProviders.server().findAll(postRequestedFor(urlEqualTo("/sms"))
        .withRequestBody(containing(id))).get(0);
    assertThat(request.getBodyAsString()).contains("\"to\":\"" + SEED_PHONE + "\"",
        "\"body\":\"[TEST] Hi Mia, Hamburg has your size. Reply STOP to opt out.\"");
  }

  @Test
  void aTestPushGoesThroughTheRealProviderToTheSeedDeviceOnly() {
    String profileId = profile(Map.of("email", uniqueEmail("push-test")), Map.of("firstName", "Ole"));
    Creative push = creatives.create(new Creative.Draft(uniqueKey("push-test"), "push", null, null, null, null,
        "{{firstName}}, your order", "It leaves {{event.storeName}} today.", Map.of()), "user:author");

    api().body(Map.of("profileId", profileId, "event", Map.of("storeName", "Kiel"), "to", List.of("a-customer-device")))
        .post("/api/creatives/{key}/push/versions/1/test-send", push.key()).then().statusCode(422)
        .body("type", containsString("not-on-seed-list"));
    String id = api().body(Map.of("profileId", profileId, "event", Map.of("storeName", "Kiel")))
        .post("/api/creatives/{key}/push/versions/1/test-send", push.key()).then().statusCode(200)
        .body("deliveries[0].recipient", equalTo(SEED_DEVICE))
        .body("deliveries[0].status", equalTo("sent"))
        .body("rendered.pushTitle", equalTo("[TEST] Ole, your order"))
        .extract().path("deliveries[0].id");

    List<LoggedRequest> requests = TestHttpProviders.server().findAll(postRequestedFor(urlEqualTo("/push"))
        .withRequestBody(containing(id)));
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).getBodyAsString()).contains("\"tokens\":[\"" + SEED_DEVICE + "\"]",
        "\"title\":\"[TEST] Ole, your order\"", "\"body\":\"It leaves Kiel today.\"");
    assertThat(TestHttpProviders.server().findAll(postRequestedFor(urlEqualTo("/push"))
        .withRequestBody(containing("a-customer-device")))).isEmpty();
    assertThat(jdbc.sql("SELECT channel, status FROM test_delivery WHERE id = ?").param(id)
        .query((rs, n) -> rs.getString(1) + "/" + rs.getString(2)).single()).isEqualTo("push/sent");
  }

  private static Map<String, Object> cartEvent(String cartId, String cartUrl) {
    return Map.of("cartId", cartId, "cartUrl", cartUrl, "value", 49.90, "currency", "EUR", "items", List.of(
        Map.of("name", "Tasse", "quantity", 2, "price", 12.45), Map.of("name", "Grüner Tee", "quantity", 1, "price", 25.00)));
  }

  private void postEvent(String profileId, String type, Map<String, Object> properties) {
    api().body(Map.of("eventId", UUID.randomUUID().toString(), "type", type, "profileId", profileId, "properties", properties))
        .post("/api/events").then().statusCode(202);
  }

  private String instanceOf(String profileId, String journey) {
    var instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(profileId).processDefinitionKey(journey)
        .singleResult();
    return instance == null ? null : instance.getId();
  }

  private String approvedEmail(String subject, String text, Map<String, String> fallbacks) {
    String key = uniqueKey("moment");
    Creative c = creatives.create(new Creative.Draft(key, "email", subject, null, text, null, null, null, fallbacks), "user:author");
    creatives.approve(key, "email", c.version(), "user:approver");
    return key;
  }

  private static MimeMessage awaitMail(String address) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> TestMail.to(address), l -> !l.isEmpty()).get(0);
  }

  /** Follows the message's first tracked link without redirecting; returns where it points. */
  private String followClick(String html) {
    Matcher link = CLICK.matcher(html);
    assertThat(link.find()).as("a tracked link in %s", html).isTrue();
    return given().redirects().follow(false).get(link.group(1)).then().statusCode(302).extract().header("Location");
  }

  private static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      return "";
    }
  }

  private static String messageId(MimeMessage m) {
    try {
      return m.getMessageID().replaceAll("^<|@.*$", "");
    } catch (jakarta.mail.MessagingException e) {
      return "";
    }
  }
}
