package dev.overture.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.overture.event.CustomerEvent;
import dev.overture.event.Events;
import dev.overture.support.AppTestBase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Segments over the REST API: FEEL over attributes and behaviour, save-time validation, counts, paging, versions. */
class SegmentApiTest extends AppTestBase {

  @Autowired Events events;

  private final String cohort = "c" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void countsProfilesByAttributesWithSqlSelectingCandidates() {
    profile(Map.of("tier", "gold", "country", "DE"));
    profile(Map.of("tier", "gold", "country", "AT"));
    profile(Map.of("tier", "gold", "country", "FR"));
    profile(Map.of("tier", "silver", "country", "DE"));
    // FEEL's "in" takes everything after it as its test, "and"s included: put it last or in parentheses
    String key = define("cohort = \"" + cohort + "\" and tier = \"gold\" and country in [\"DE\",\"AT\"]");

    api().get("/api/segments/{key}/count", key).then().statusCode(200)
        .body("members", equalTo(2)).body("evaluation", equalTo("sql+feel"));
  }

  @Test
  void aSegmentOnIndexedAttributesIsDecidedInSql() {
    String tier = "t-" + cohort;
    profile(Map.of("tier", tier, "country", "DE"));
    profile(Map.of("tier", tier, "country", "AT"));
    profile(Map.of("tier", tier, "country", "FR"));
    String key = define("tier = \"" + tier + "\" and country in [\"DE\",\"AT\"]");

    api().get("/api/segments/{key}", key).then().statusCode(200).body("evaluation", equalTo("sql"));
    api().get("/api/segments/{key}/count", key).then().statusCode(200).body("members", equalTo(2));
  }

  @Test
  void behaviourFunctionsReadEventsAndConsent() {
    String twoRecentPurchases = profile(Map.of());
    purchase(twoRecentPurchases, Duration.ofDays(3));
    purchase(twoRecentPurchases, Duration.ofDays(10));
    String oneRecentOneOld = profile(Map.of());
    purchase(oneRecentOneOld, Duration.ofDays(3));
    purchase(oneRecentOneOld, Duration.ofDays(60));
    String frequent = define("cohort = \"" + cohort + "\" and count(events(\"purchase.completed\", duration(\"P30D\"))) >= 2");

    assertThat(members(frequent)).containsExactly(twoRecentPurchases);

    String bigCart = profile(Map.of());
    abandon(bigCart, 50, Duration.ofDays(2));
    abandon(bigCart, 150, Duration.ofDays(1));
    String smallCart = profile(Map.of());
    abandon(smallCart, 150, Duration.ofDays(2));
    abandon(smallCart, 20, Duration.ofDays(1));
    String lastCartOver100 = define("cohort = \"" + cohort + "\" and last(events(\"cart.abandoned\")).properties.value > 100");

    assertThat(members(lastCartOver100)).containsExactly(bigCart);

    setConsent(smallCart, "email", "marketing", "granted");
    String optedIn = define("cohort = \"" + cohort + "\" and consented(\"email\", \"marketing\")");

    assertThat(members(optedIn)).containsExactly(smallCart);
  }

  @Test
  void aProfileWhoseEvaluationFailsIsNotAMemberAndCountedAsUndecided() {
    profile(Map.of("age", 40));
    profile(Map.of("age", "forty"));
    profile(Map.of());
    String key = define("cohort = \"" + cohort + "\" and age > 30");

    api().get("/api/segments/{key}/count", key).then().statusCode(200)
        .body("members", equalTo(1)).body("undecided", equalTo(2));
  }

  @Test
  void numberComparisonsNarrowedInSqlKeepMembersAtTheBoundary() {
    String atBound = profile(Map.of("age", 40));
    String large = profile(Map.of("age", 1.5e10));
    profile(Map.of("age", 39.9999999));
    String key = define("cohort = \"" + cohort + "\" and age >= 40");

    assertThat(members(key)).containsExactlyInAnyOrder(atBound, large);
  }

  @Test
  void anInvalidExpressionIsRefusedAtSaveTimeWithItsPosition() {
    api().body(Map.of("key", "broken-" + cohort, "name", "Broken", "expression", "tier = "))
        .post("/api/segments")
        .then().statusCode(422)
        .contentType("application/problem+json")
        .body("type", equalTo("https://overture.dev/problems/invalid-segment-expression"))
        .body("detail", containsString("1:6"))
        .body("line", equalTo(1)).body("column", equalTo(6));
    api().get("/api/segments/{key}", "broken-" + cohort).then().statusCode(404);
  }

  @Test
  void anUnknownFunctionIsRefusedAtSaveTime() {
    api().body(Map.of("key", "unknown-fn-" + cohort, "name", "Unknown", "expression", "clicks(\"x\") > 2"))
        .post("/api/segments")
        .then().statusCode(422)
        .body("detail", containsString("clicks"));
    api().body(Map.of("key", "bad-channel-" + cohort, "name", "Bad", "expression", "consented(\"pigeon\", \"marketing\")"))
        .post("/api/segments")
        .then().statusCode(422)
        .body("detail", containsString("pigeon"));
  }

  @Test
  void membersArePagedInStableProfileIdOrder() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(profile(Map.of("tier", "gold")));
    }
    profile(Map.of("tier", "bronze"));
    String key = define("cohort = \"" + cohort + "\" and tier = \"gold\"");

    List<String> seen = new ArrayList<>();
    String after = null;
    do {
      var page = (after == null ? api() : api().queryParam("after", after)).queryParam("limit", 2)
          .get("/api/segments/{key}/members", key).then().statusCode(200).extract().jsonPath();
      seen.addAll(page.getList("profileIds", String.class));
      after = page.getString("next");
    } while (after != null);

    assertThat(seen).containsExactlyElementsOf(ids.stream().sorted().toList());
  }

  @Test
  void editingASegmentAddsAVersionAndKeepsTheOldOne() {
    String key = define("cohort = \"" + cohort + "\"");
    api().body(Map.of("name", "Gold only", "expression", "cohort = \"" + cohort + "\" and tier = \"gold\""))
        .put("/api/segments/{key}", key)
        .then().statusCode(200).body("version", equalTo(2));

    api().get("/api/segments/{key}", key).then().body("version", equalTo(2)).body("name", equalTo("Gold only"));
    api().queryParam("version", 1).get("/api/segments/{key}", key).then().statusCode(200)
        .body("expression", equalTo("cohort = \"" + cohort + "\""));
  }

  @Test
  void unknownSegmentIs404() {
    api().get("/api/segments/{key}/count", "nope-" + cohort).then().statusCode(404)
        .body("type", equalTo("https://overture.dev/problems/segment-not-found"));
    api().get("/api/segments/{key}/members", "nope-" + cohort).then().statusCode(404).body("next", nullValue());
  }

  private String define(String expression) {
    String key = "s-" + UUID.randomUUID().toString().substring(0, 8);
    api().body(Map.of("key", key, "name", "Test segment", "expression", expression))
        .post("/api/segments").then().statusCode(201).body("version", equalTo(1));
    return key;
  }

  private String profile(Map<String, Object> attributes) {
    Map<String, Object> attrs = new java.util.HashMap<>(attributes);
    attrs.put("cohort", cohort);
    return api().body(Map.of("identities", Map.of("email", uniqueEmail("seg")), "attributes", attrs))
        .post("/api/profiles").then().statusCode(201).extract().path("id");
  }

  private List<String> members(String key) {
    return api().queryParam("limit", 1000).get("/api/segments/{key}/members", key).then().statusCode(200)
        .extract().jsonPath().getList("profileIds", String.class);
  }

  private void purchase(String profileId, Duration ago) {
    events.ingest(new CustomerEvent(UUID.randomUUID().toString(), "purchase.completed", profileId,
        Instant.now().minus(ago), Map.of()));
  }

  private void abandon(String profileId, int value, Duration ago) {
    events.ingest(new CustomerEvent(UUID.randomUUID().toString(), "cart.abandoned", profileId,
        Instant.now().minus(ago), Map.of("value", value)));
  }
}
