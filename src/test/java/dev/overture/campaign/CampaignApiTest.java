package dev.overture.campaign;

import static dev.overture.campaign.CampaignFixtures.draftEmailCreative;
import static dev.overture.campaign.CampaignFixtures.unique;
import static dev.overture.campaign.CampaignFixtures.user;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.overture.delivery.Creatives;
import dev.overture.support.AppTestBase;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** POST and GET /api/campaigns: who the author is, what is refused, what the status shows. */
class CampaignApiTest extends AppTestBase {

  @Autowired IdentityService identity;
  @Autowired Creatives creatives;

  @Test
  void anApiKeySubmitsOnBehalfOfANamedAuthorAndTheCampaignWaitsForCreativeReview() {
    String author = user(identity, "marketer", "marketers");
    Map<String, Object> body = campaign();
    body.put("author", author);

    String id = api().body(body).post("/api/campaigns").then().statusCode(201)
        .header("Location", containsString("/api/campaigns/"))
        .body("author", equalTo(author))
        .extract().path("id");

    api().get("/api/campaigns/{id}", id).then().statusCode(200)
        .body("status", equalTo("in_creative_review"))
        .body("currentTask.name", equalTo("Review creative"))
        .body("currentTask.candidateGroups", hasItem("creative-reviewers"))
        .body("audit[0].step", equalTo("submission"))
        .body("audit[0].actor", equalTo(author));
    api().get("/api/campaigns/{key}", body.get("key")).then().statusCode(200).body("id", equalTo(id));
  }

  @Test
  void anApiKeyWithoutAuthorIsRefused() {
    api().body(campaign()).post("/api/campaigns").then().statusCode(422)
        .contentType("application/problem+json")
        .body("type", containsString("author-required"));
  }

  @Test
  void aPersonCannotSubmitInSomeoneElsesName() {
    String author = user(identity, "marketer", "marketers");
    Map<String, Object> body = campaign();
    body.put("author", "someone-else");
    given().auth().preemptive().basic(author, author + "-pw").contentType(ContentType.JSON).body(body)
        .post("/api/campaigns").then().statusCode(422).body("type", containsString("author-mismatch"));
  }

  @Test
  void theDeclaredRulesOfASubmissionAreNamedTogetherInTheOne422() {
    String author = user(identity, "marketer", "marketers");
    Map<String, Object> body = campaign();
    body.put("author", author);
    body.put("key", "Not A Key");
    body.put("name", " ");
    body.put("creativeKeys", List.of());
    body.remove("endAt");

    api().body(body).post("/api/campaigns").then().statusCode(422)
        .body("type", containsString("invalid-campaign"))
        .body("detail", equalTo("key must be 1-128 lower-case letters, digits, dots or dashes; name is required; "
            + "creativeKeys needs at least one creative; startAt and endAt are required (ISO 8601 instants)"));
  }

  @Test
  void anUnknownJourneyCreativeOrScheduleIsRefusedWithEveryProblemNamed() {
    String author = user(identity, "marketer", "marketers");
    Map<String, Object> body = campaign();
    body.put("author", author);
    body.put("journeyKey", "no-such-journey");
    body.put("creativeKeys", List.of("no-such-creative"));
    body.put("endAt", body.get("startAt"));

    api().body(body).post("/api/campaigns").then().statusCode(422)
        .body("detail", containsString("journeyKey must name a deployed journey"))
        .body("detail", containsString("creative 'no-such-creative' does not exist"))
        .body("detail", containsString("endAt must be after startAt"));
  }

  @Test
  void aTakenKeyIsAConflictAndAnUnknownCampaignIsNotFound() {
    String author = user(identity, "marketer", "marketers");
    Map<String, Object> body = campaign();
    body.put("author", author);
    api().body(body).post("/api/campaigns").then().statusCode(201);
    api().body(body).post("/api/campaigns").then().statusCode(409).body("type", containsString("campaign-key-taken"));
    api().get("/api/campaigns/{id}", "nope").then().statusCode(404);
  }

  private Map<String, Object> campaign() {
    String creative = draftEmailCreative(creatives, "Hello {{firstName}}", "Body");
    String profileId = createProfile(uniqueEmail("api"), "Ana");
    Map<String, Object> body = new HashMap<>();
    body.put("key", unique("launch"));
    body.put("name", "Launch");
    body.put("journeyKey", "welcome");
    body.put("profileId", profileId);
    body.put("creativeKeys", List.of(creative));
    body.put("startAt", Instant.now().plusSeconds(3600).toString());
    body.put("endAt", Instant.now().plusSeconds(7200).toString());
    return body;
  }
}
