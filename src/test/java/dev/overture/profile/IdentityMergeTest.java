package dev.overture.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.delivery.Deliveries;
import dev.overture.delivery.Delivery;
import dev.overture.event.Events;
import dev.overture.support.AppTestBase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Two profiles that turn out to be one customer: the older survives with everything of the younger. */
class IdentityMergeTest extends AppTestBase {

  @Autowired Profiles profiles;
  @Autowired Consents consents;
  @Autowired Deliveries deliveries;
  @Autowired Events events;
  @Autowired RuntimeService runtime;
  @Autowired ManagementService management;

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
        new Deliveries.Origin(null, null, null));
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
}
