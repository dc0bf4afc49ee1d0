package dev.overture.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.overture.client.ApiClient;
import dev.overture.client.ApiException;
import dev.overture.client.api.ConsentApi;
import dev.overture.client.api.DeliveryApi;
import dev.overture.client.api.EventApi;
import dev.overture.client.api.JourneysApi;
import dev.overture.client.api.ProfileApi;
import dev.overture.client.model.Consent;
import dev.overture.client.model.ConsentRequest;
import dev.overture.client.model.Delivery;
import dev.overture.client.model.EntryRequest;
import dev.overture.client.model.EntryResponse;
import dev.overture.client.model.EventRequest;
import dev.overture.client.model.Ingested;
import dev.overture.client.model.Profile;
import dev.overture.client.model.ProfileJourney;
import dev.overture.client.model.Stats;
import dev.overture.client.model.UpsertRequest;
import dev.overture.support.AppTestBase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's curl walkthrough through a Java client that the build generates from the committed OpenAPI document
 * (openapi-generator, {@code dev.overture.client}), with no model class written by hand: a profile, its consent, an
 * entry into the welcome journey (the same Idempotency-Key twice), the welcome email's delivery, a purchase, the stats.
 */
class GeneratedClientTest extends AppTestBase {

  private ApiClient client;

  @BeforeEach
  void client() {
    client = new ApiClient();
    client.updateBaseUri("http://localhost:" + port);
    client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + API_KEY));
  }

  @Test
  void runsTheReadmeWalkthrough() throws ApiException {
    String email = uniqueEmail("ada");
    Profile profile = new ProfileApi(client).upsert(new UpsertRequest()
        .identities(Map.of("email", email)).attributes(Map.of("firstName", "Ada")));
    String profileId = profile.getId();
    assertThat(profileId).isNotBlank();
    assertThat(profile.getIdentities()).containsEntry("email", email);

    Consent consent = new ConsentApi(client).put(profileId, "email",
        new ConsentRequest().purpose("marketing").status("granted").source("signup-form"));
    assertThat(consent.getStatus()).isEqualTo("granted");

    JourneysApi journeys = new JourneysApi(client);
    String key = "signup-" + UUID.randomUUID();
    EntryResponse entry = journeys.enter("welcome", new EntryRequest().profileId(profileId), key);
    assertThat(entry.getProfileId()).isEqualTo(profileId);
    assertThat(journeys.enter("welcome", new EntryRequest().profileId(profileId), key).getEntryId())
        .isEqualTo(entry.getEntryId());

    DeliveryApi deliveries = new DeliveryApi(client);
    Delivery welcome = await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.ofProfileDelivery(profileId),
        list -> list.stream().anyMatch(d -> "sent".equals(d.getStatus()))).get(0);
    assertThat(welcome.getChannel()).isEqualTo("email");
    assertThat(welcome.getJourneyKey()).isEqualTo("welcome");

    Ingested purchase = new EventApi(client).ingest(new EventRequest().eventId("order-" + UUID.randomUUID())
        .type("purchase.completed").profileId(profileId));
    assertThat(purchase.getProfileId()).isEqualTo(profileId);
    assertThat(purchase.getDuplicate()).isFalse();

    List<ProfileJourney> hers = journeys.ofProfileJourneyCatalog(profileId);
    assertThat(hers).extracting(ProfileJourney::getJourneyKey).contains("welcome");
    Stats stats = journeys.stats("welcome", null, null, null);
    assertThat(stats.getJourneyKey()).isEqualTo("welcome");
    assertThat(stats.getEntered()).isPositive();
    assertThat(stats.getElements()).isNotEmpty();
  }

  @Test
  void aProblemReachesTheClientAsItsStatusAndBody() {
    assertThatThrownBy(() -> new ProfileApi(client).getProfile("no-such-profile-" + UUID.randomUUID()))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.getCode()).isEqualTo(404);
          assertThat(e.getResponseBody()).contains(ApiProblem.TYPE_BASE + "profile-not-found");
        });
  }
}
