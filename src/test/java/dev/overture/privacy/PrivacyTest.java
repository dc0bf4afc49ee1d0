package dev.overture.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.overture.delivery.Deliveries;
import dev.overture.support.AppTestBase;
import dev.overture.support.JourneyRuns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** GDPR access and erasure over the API, down to every column of every table, Camunda's included. */
class PrivacyTest extends AppTestBase {

  @Autowired
  JdbcClient jdbc;

  @Autowired
  RuntimeService runtime;

  @Autowired
  Deliveries deliveries;

  @Test
  void exportHoldsProfileIdentitiesConsentHistoryEventsDeliveriesAndJourneys() {
    String email = uniqueEmail("export");
    String profileId = journeyingProfile(email);

    api().get("/api/profiles/{id}/export", profileId).then().statusCode(200)
        .body("profile.id", equalTo(profileId))
        .body("identities.email", hasItem(email))
        .body("consentHistory.size()", equalTo(2))
        .body("consentHistory[0].status", equalTo("revoked"))
        .body("consents[0].status", equalTo("granted"))
        .body("events.type", hasItem("cart.viewed"))
        .body("deliveries[0].recipient", equalTo(email))
        .body("journeys[0].journeyKey", equalTo("welcome"))
        .body("journeys[0].variables.contactEmail", equalTo(email));
  }

  @Test
  void erasureCancelsJourneysAndLeavesTheAddressInNoTableAtAll() {
    String email = uniqueEmail("erase");
    String profileId = journeyingProfile(email);
    assertThat(tablesContaining(email)).as("the scan finds the address before erasure").isNotEmpty();

    long erasedBefore = erasedCount("welcome");
    assertThat(JourneyRuns.count(jdbc, null, profileId)).as("the journey log has the running journey").isEqualTo(1);
    api().delete("/api/profiles/{id}", profileId).then().statusCode(200)
        .body("profileId", equalTo(profileId)).body("removed.profile", equalTo(1)).body("removed.journeys", equalTo(1));

    assertThat(tablesContaining(email)).isEmpty();
    assertThat(tablesContaining(email.substring(0, email.indexOf('@')))).as("not even the local part").isEmpty();
    assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(profileId).count()).isZero();
    assertThat(JourneyRuns.count(jdbc, null, profileId)).as("journey_run rows").isZero();
    assertThat(erasedCount("welcome")).as("the counters keep the instance, as erased, without the profile").isEqualTo(erasedBefore + 1);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM ACT_HI_PROCINST WHERE BUSINESS_KEY_ = ?").param(profileId).query(Long.class).single())
        .isZero();
    api().get("/api/profiles/{id}", profileId).then().statusCode(404);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM erasure_audit WHERE profile_id = ?").param(profileId).query(Integer.class).single())
        .isEqualTo(1);
    assertThat(deliveries.ofProfile(profileId)).allSatisfy(d -> assertThat(d.recipient()).isNull());
    api().delete("/api/profiles/{id}", profileId).then().statusCode(404).contentType("application/problem+json");
  }

  @Test
  void exportAndErasureCoverTheJourneysThatRunUnderAnIdMergedIntoTheProfile() {
    // given: a journey started for an anonymous profile, which is then merged into an older known one
    String email = uniqueEmail("merged");
    String survivor = createProfile(email, "Max");
    Anonymous anonymous = anonymousProfile();
    String merged = anonymous.profileId();
    setConsent(merged, "email", "marketing", "granted");
    api().body(Map.of("profileId", merged, "variables", Map.of("contactEmail", email)))
        .post("/api/journeys/welcome/entries").then().statusCode(201);
    String instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(merged).singleResult().getId();
    merge(email, anonymous, survivor);
    assertThat(runtime.createProcessInstanceQuery().processInstanceId(instance).singleResult().getBusinessKey())
        .as("the instance runs on under the merged-away id").isEqualTo(merged);

    // then: the survivor's export shows that journey
    api().get("/api/profiles/{id}/export", survivor).then().statusCode(200)
        .body("profile.id", equalTo(survivor))
        .body("journeys.processInstanceId", hasItem(instance))
        .body("journeys.find { it.processInstanceId == '%s' }.variables.contactEmail".formatted(instance), equalTo(email));

    // and erasure cancels it and removes its history
    api().delete("/api/profiles/{id}", survivor).then().statusCode(200).body("removed.journeys", equalTo(1));
    assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(merged).count()).isZero();
    assertThat(JourneyRuns.run(jdbc, instance)).as("the journey_run row of the merged-away id's journey").isEmpty();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM ACT_HI_VARINST WHERE PROC_INST_ID_ = ?").param(instance).query(Long.class).single())
        .isZero();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM journey_entry WHERE profile_id IN (?, ?)").params(survivor, merged)
        .query(Integer.class).single()).isZero();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM profile_merge WHERE survivor_id = ? OR merged_id = ?").params(survivor, merged)
        .query(Integer.class).single()).as("the link between the two ids").isZero();
    assertThat(tablesContaining(email)).isEmpty();
  }

  @Test
  void anIdMergedIntoTheProfileExportsAndErasesTheSurvivor() {
    String email = uniqueEmail("alias");
    String survivor = createProfile(email, "Ida");
    Anonymous anonymous = anonymousProfile();
    merge(email, anonymous, survivor);
    String merged = anonymous.profileId();

    api().get("/api/profiles/{id}/export", merged).then().statusCode(200).body("identities.email", hasItem(email));
    api().delete("/api/profiles/{id}", merged).then().statusCode(200)
        .body("profileId", equalTo(survivor)).body("removed.profile", equalTo(1));
    api().get("/api/profiles/{id}", survivor).then().statusCode(404);
  }

  private record Anonymous(String profileId, String anonymousId) {}

  private Anonymous anonymousProfile() {
    String anonymousId = "anon-" + UUID.randomUUID();
    return new Anonymous(api().body(Map.of("identities", Map.of("anonymousId", anonymousId))).post("/api/profiles")
        .then().statusCode(201).extract().path("id"), anonymousId);
  }

  /** One upsert naming both identities merges the anonymous profile into the older one, which survives. */
  private void merge(String email, Anonymous anonymous, String survivor) {
    api().body(Map.of("identities", Map.of("email", email, "anonymousId", anonymous.anonymousId()))).post("/api/profiles")
        .then().statusCode(200).body("id", equalTo(survivor));
  }

  /** A profile in the welcome journey with its address in a process variable, an event, the ledger and a sent email. */
  private String journeyingProfile(String email) {
    String profileId = createProfile(email, "Erin");
    setConsent(profileId, "email", "marketing", "revoked");
    setConsent(profileId, "email", "marketing", "granted");
    api().body(Map.of("eventId", "evt-" + profileId, "type", "cart.viewed", "profileId", profileId,
            "properties", Map.of("contact", email)))
        .post("/api/events").then().statusCode(202);
    api().body(Map.of("profileId", profileId, "variables", Map.of("contactEmail", email)))
        .post("/api/journeys/welcome/entries").then().statusCode(201);
    await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.ofProfile(profileId).stream().anyMatch(d -> "sent".equals(d.status())));
    return profileId;
  }

  /** Every table and text or binary column of this database whose value contains {@code needle}. */
  private long erasedCount(String journeyKey) {
    return jdbc.sql("SELECT COALESCE(SUM(erased), 0) FROM journey_count WHERE journey_key = ?").param(journeyKey)
        .query(Long.class).single();
  }

  private List<String> tablesContaining(String needle) {
    List<String[]> columns = jdbc.sql("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = DATABASE() AND data_type IN
              ('char','varchar','tinytext','text','mediumtext','longtext','json','binary','varbinary','tinyblob','blob','mediumblob','longblob')""")
        .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).list();
    assertThat(columns).hasSizeGreaterThan(50);
    List<String> hits = new ArrayList<>();
    for (String[] c : columns) {
      int count = jdbc.sql("SELECT COUNT(*) FROM `" + c[0] + "` WHERE `" + c[1] + "` LIKE ?")
          .param("%" + needle + "%").query(Integer.class).single();
      if (count > 0) {
        hits.add(c[0] + "." + c[1]);
      }
    }
    return hits;
  }
}
