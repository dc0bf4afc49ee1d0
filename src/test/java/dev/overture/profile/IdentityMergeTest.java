package dev.overture.profile;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.delivery.Deliveries;
import dev.overture.delivery.Delivery;
import dev.overture.delivery.Origin;
import dev.overture.event.Events;
import dev.overture.support.AppTestBase;
import dev.overture.support.JourneyRuns;
import io.micrometer.core.instrument.MeterRegistry;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Two profiles that turn out to be one customer: the older survives with everything of the younger. */
class IdentityMergeTest extends AppTestBase {

  @Autowired Profiles profiles;
  @Autowired Consents consents;
  @Autowired Deliveries deliveries;
  @Autowired Events events;
  @Autowired RuntimeService runtime;
  @Autowired ManagementService management;
  @Autowired TransactionTemplate tx;
  @Autowired JdbcClient jdbc;
  @Autowired MeterRegistry meters;

  private String anonymousProfile(String anon, Map<String, Object> attributes) {
    return api().body(Map.of("identities", Map.of("anonymousId", anon), "attributes", attributes))
        .post("/api/profiles").then().statusCode(201).extract().path("id");
  }

  private void event(String type, String profileId, Map<String, Object> properties) {
    api().body(Map.of("eventId", UUID.randomUUID().toString(), "type", type, "profileId", profileId, "properties", properties))
        .post("/api/events").then().statusCode(202);
  }

  private List<ProcessInstance> carts(String... businessKeys) {
    return java.util.Arrays.stream(businessKeys).flatMap(k -> runtime.createProcessInstanceQuery()
        .processDefinitionKey("abandoned-cart").processInstanceBusinessKey(k).list().stream()).toList();
  }

  @Test
  void upsertNamingTwoProfilesMergesEverythingIntoTheOlderAndRecordsIt() {
    String email = uniqueEmail("merge");
    String anon = "anon-" + UUID.randomUUID();
    String older = createProfile(email, "Ada");
    String younger = anonymousProfile(anon, Map.of("firstName", "Anonymous", "cartSize", 3));
    consents.record(younger, Channel.SMS, Purpose.MARKETING, true, "web", "test");
    String outboxId = deliveries.enqueue(younger, Channel.PUSH, Purpose.MARKETING, "cart-last-call",
        new Origin(null, null, null));
    event("product.viewed", younger, Map.of("sku", "A-1"));

    api().body(Map.of("identities", Map.of("email", email, "anonymousId", anon))).post("/api/profiles")
        .then().statusCode(200).body("id", equalTo(older));

    Profile survivor = profiles.find(older).orElseThrow();
    assertThat(survivor.identities()).containsEntry("email", email).containsEntry("anonymousId", anon);
    assertThat(survivor.attributes()).containsEntry("firstName", "Ada").containsEntry("cartSize", 3);
    assertThat(consents.allows(older, Channel.SMS, Purpose.MARKETING)).isTrue();
    assertThat(deliveries.find(outboxId).orElseThrow().profileId()).isEqualTo(older);
    assertThat(deliveries.ofProfile(younger)).isEmpty();
    assertThat(events.recentOf(older, 10)).anyMatch(e -> "product.viewed".equals(e.get("type")));
    assertThat(profiles.mergesInto(older)).extracting(ProfilesMerged::mergedId).containsExactly(younger);
    // the merged-away id stays an alias: look-ups and events by it reach the survivor
    api().get("/api/profiles/{id}", younger).then().statusCode(200).body("id", equalTo(older));
    assertThat(profiles.canonicalId(younger)).contains(older);
  }

  @Test
  void bothProfilesInTheSameJourneyKeepOnlyTheOlderInstanceAndGetOneMessagePerStep() {
    String email = uniqueEmail("twice");
    String anon = "anon-" + UUID.randomUUID();
    String older = createProfile(email, "Ada");
    setConsent(older, "email", "marketing", "granted");
    String younger = anonymousProfile(anon, Map.of());
    event("cart.abandoned", older, Map.of("cartId", "c-older"));
    await().atMost(Duration.ofSeconds(10)).until(() -> carts(older).size() == 1);
    event("cart.abandoned", younger, Map.of("cartId", "c-younger"));
    await().atMost(Duration.ofSeconds(10)).until(() -> carts(younger).size() == 1);
    String olderInstance = carts(older).get(0).getId();

    profiles.upsert(Map.of("email", email, "anonymousId", anon), null);

    assertThat(carts(older, younger)).extracting(ProcessInstance::getId).containsExactly(olderInstance);
    Job hour = management.createJobQuery().processInstanceId(olderInstance).timers().singleResult();
    management.executeJob(hour.getId());
    await().atMost(Duration.ofSeconds(15)).until(() -> deliveries.ofProfile(older).stream()
        .anyMatch(d -> d.creativeKey().equals("cart-reminder") && Delivery.SENT.equals(d.status())));
    assertThat(deliveries.ofProfile(older)).filteredOn(d -> d.creativeKey().equals("cart-reminder")).hasSize(1);
  }

  @Test
  void journeyOfTheMergedAwayProfileStillHearsEventsSentToTheSurvivor() {
    String email = uniqueEmail("alias");
    String anon = "anon-" + UUID.randomUUID();
    String older = createProfile(email, "Ada");
    String younger = anonymousProfile(anon, Map.of());
    event("cart.abandoned", younger, Map.of("cartId", "c-1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> carts(younger).size() == 1);
    String instance = carts(younger).get(0).getId();

    profiles.upsert(Map.of("email", email, "anonymousId", anon), null);
    assertThat(runtime.getVariable(instance, "profileId")).isEqualTo(older);

    event("order.completed", older, Map.of("cartId", "c-1"));

    await().atMost(Duration.ofSeconds(10)).until(() -> carts(older, younger).isEmpty());
  }

  @Test
  void aMergeThatRacesACorrelationOfTheSameJourneyIsRetriedAndSucceeds() throws Exception {
    String email = uniqueEmail("race");
    String anon = "anon-" + UUID.randomUUID();
    String older = createProfile(email, "Ada");
    String younger = anonymousProfile(anon, Map.of());
    event("cart.abandoned", older, Map.of("cartId", "c-older"));
    event("cart.abandoned", younger, Map.of("cartId", "c-younger"));
    await().atMost(Duration.ofSeconds(10)).until(() -> carts(older).size() == 1 && carts(younger).size() == 1);
    String olderInstance = carts(older).get(0).getId();
    String youngerInstance = carts(younger).get(0).getId();
    double retriesBefore = meters.get("overture.profile.merge.retries").counter().count();

    // given: the younger journey is being moved by another transaction (its order arrived), not yet committed
    CountDownLatch correlated = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> correlation = CompletableFuture.runAsync(() -> tx.executeWithoutResult(s -> {
      runtime.createMessageCorrelation("order.completed").processInstanceId(youngerInstance).correlateWithResult();
      correlated.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    CompletableFuture<Response> merge;
    try {
      assertThat(correlated.await(10, TimeUnit.SECONDS)).isTrue();
      // when: the merge, which ends the younger instance of the same journey, waits for that transaction's locks
      merge = CompletableFuture.supplyAsync(() -> api().body(Map.of("identities", Map.of("email", email, "anonymousId", anon)))
          .post("/api/profiles"));
      await().atMost(Duration.ofSeconds(10)).until(this::aCamundaStatementWaitsForALock);
    } finally {
      release.countDown();
    }
    correlation.get(10, TimeUnit.SECONDS);

    // then: its first attempt lost (the instance had changed under it), the retry answers as usual
    Response answer = merge.get(30, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
    assertThat(answer.<String>path("id")).isEqualTo(older);
    assertThat(meters.get("overture.profile.merge.retries").counter().count()).isGreaterThan(retriesBefore);
    assertThat(profiles.canonicalId(younger)).contains(older);
    assertThat(carts(older, younger)).extracting(ProcessInstance::getId).containsExactly(olderInstance);
    assertThat(JourneyRuns.endElement(jdbc, youngerInstance)).isEqualTo("EndEvent_OrderedBeforeReminder");
    assertThat(runtime.getVariable(olderInstance, "profileId")).isEqualTo(older);
  }

  /** A statement on Camunda's tables of this test's database is blocked by another transaction's row lock. */
  private boolean aCamundaStatementWaitsForALock() {
    return jdbc.sql("""
            SELECT COUNT(*) FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
            WHERE t.trx_state = 'LOCK WAIT' AND p.DB = DATABASE() AND t.trx_query LIKE '%ACT\\_%'""")
        .query(Integer.class).single() > 0;
  }
}
