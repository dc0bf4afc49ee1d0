package dev.overture.sendtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.overture.campaign.CampaignFixtures;
import dev.overture.delivery.internal.TrackingTokens;
import dev.overture.platform.ApiKeys;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** GET /api/profiles/{id}/send-time: what the model learnt from tracking hits and an ESP's events, and who may ask. */
class SendTimeApiTest extends SendTimeFixtures {

  @Autowired TrackingTokens tokens;
  @Autowired ApiKeys keys;
  @Autowired IdentityService identity;
  @Autowired JdbcClient jdbc;

  @Test
  void anEspsOpensTeachTheBestHourInTheProfilesTimeZone() {
    ZoneId zone = ZoneId.of("America/New_York");
    String profileId = profileIn(zone.getId());
    espEngagementsAt(profileId, zone, LocalTime.of(19, 0), 10, 2);

    JsonPath answer = sendTime(profileId);

    assertThat(answer.getString("timeZone")).isEqualTo("America/New_York");
    assertThat(answer.getString("channel")).isEqualTo("email");
    assertThat(answer.getString("best[0].localTime")).isEqualTo("19:00");
    assertLocalHour(Instant.parse(answer.getString("best[0].next")), zone, 19);
    assertThat(Instant.parse(answer.getString("best[0].next"))).isAfter(Instant.now());
    assertThat(answer.getDouble("confidence")).isGreaterThan(0.5);
    assertThat(answer.getBoolean("confident")).isTrue();
    assertThat(answer.getDouble("learntFrom.effectiveEngagements")).isBetween(15.0, 22.0);
    assertThat(answer.getDouble("learntFrom.populationWeight")).isBetween(0.15, 0.3);
    assertThat(answer.getString("learntFrom.halfLife")).isEqualTo("PT720H");
  }

  @Test
  void realTrackingHitsCountOncePerMessageInTheHourTheyHappened() {
    String profileId = profileIn("UTC");
    int hourBefore = Instant.now().atZone(ZoneOffset.UTC).getHour();
    for (int i = 0; i < 3; i++) {
      String open = tokens.openUrl("st-open-" + i + "-" + profileId, profileId, "email");
      given().get(open.substring(open.indexOf("/t/"))).then().statusCode(200);
      given().get(open.substring(open.indexOf("/t/"))).then().statusCode(200);
    }
    String click = tokens.clickUrl("st-open-0-" + profileId, profileId, "email", "https://shop.example.com/");
    given().redirects().follow(false).get(click.substring(click.indexOf("/t/"))).then().statusCode(302);
    int hourAfter = Instant.now().atZone(ZoneOffset.UTC).getHour();

    JsonPath answer = awaitLearnt(profileId, 3, 1);

    assertThat(answer.getString("best[0].localTime")).isIn(LocalTime.of(hourBefore, 0).toString(),
        LocalTime.of(hourAfter, 0).toString());
    assertThat(answer.getDouble("learntFrom.effectiveEngagements")).isBetween(4.9, 5.0);
  }

  @Test
  void aProfileWithoutHistoryIsAllPopulationAndNotConfident() {
    JsonPath answer = sendTime(profileIn("Europe/Paris"));

    assertThat(answer.getInt("learntFrom.opens")).isZero();
    assertThat(answer.getDouble("learntFrom.populationWeight")).isEqualTo(1.0);
    assertThat(answer.getDouble("confidence")).isZero();
    assertThat(answer.getBoolean("confident")).isFalse();
    assertThat(answer.getList("best")).hasSize(3);
  }

  @Test
  void anUnknownProfileIsA404AndAnUnknownChannelA400() {
    api().get("/api/profiles/{id}/send-time", UUID.randomUUID().toString()).then().statusCode(404)
        .contentType("application/problem+json").body("type", containsString("profile-not-found"));
    api().get("/api/profiles/{id}/send-time?channel=fax", profileIn("UTC")).then().statusCode(400)
        .contentType("application/problem+json").body("type", containsString("invalid-channel"))
        .body("detail", containsString("email"));
  }

  @Test
  void whoMayReadAProfileMayAskItsSendTime() {
    String profileId = profileIn("UTC");
    String marketer = CampaignFixtures.user(identity, "st-marketer", "marketers");
    String reviewer = CampaignFixtures.user(identity, "st-reviewer", "creative-reviewers");
    String reader = keys.create("st-reader-" + UUID.randomUUID(), List.of("profiles:read")).key();
    String writer = keys.create("st-writer-" + UUID.randomUUID(), List.of("events:write")).key();
    String path = "/api/profiles/" + profileId + "/send-time";

    given().auth().preemptive().basic(marketer, marketer + "-pw").get(path).then().statusCode(200);
    given().header("Authorization", "Bearer " + reader).get(path).then().statusCode(200)
        .body("profileId", equalTo(profileId));
    given().auth().preemptive().basic(reviewer, reviewer + "-pw").get(path).then().statusCode(403)
        .contentType("application/problem+json");
    given().header("Authorization", "Bearer " + writer).get(path).then().statusCode(403)
        .body("detail", containsString("profiles:read"));
    given().get(path).then().statusCode(401);
  }

  @Test
  void aMergedProfilesHistoryJoinsItsSurvivors() {
    String email = uniqueEmail("st-merge");
    String anon = "anon-" + UUID.randomUUID();
    String older = api().body(Map.of("identities", Map.of("email", email), "attributes",
        Map.of("timezone", "UTC"))).post("/api/profiles").then().statusCode(201).extract().path("id");
    String younger = api().body(Map.of("identities", Map.of("anonymousId", anon), "attributes",
        Map.of("timezone", "UTC"))).post("/api/profiles").then().statusCode(201).extract().path("id");
    espEngagementsAt(older, ZoneOffset.UTC, LocalTime.of(9, 0), 2, 1);
    espEngagementsAt(younger, ZoneOffset.UTC, LocalTime.of(9, 0), 3, 1);

    api().body(Map.of("identities", Map.of("email", email, "anonymousId", anon)))
        .post("/api/profiles").then().statusCode(200).body("id", equalTo(older));

    JsonPath survivor = sendTime(older);
    assertThat(survivor.getInt("learntFrom.opens")).isEqualTo(5);
    assertThat(survivor.getInt("learntFrom.clicks")).isEqualTo(2);
    assertThat(sendTime(younger).getString("profileId")).as("the merged id names its survivor").isEqualTo(older);
  }

  @Test
  void erasingTheProfileForgetsWhatTheModelLearnt() {
    String profileId = profileIn("UTC");
    espEngagementsAt(profileId, ZoneOffset.UTC, LocalTime.of(9, 0), 2, 1);

    api().delete("/api/profiles/{id}", profileId).then().statusCode(200).body("removed.sendTime", equalTo(2));

    assertThat(jdbc.sql("SELECT COUNT(*) FROM send_time_engagement WHERE profile_id = ?").param(profileId)
        .query(Integer.class).single()).isZero();
  }
}
