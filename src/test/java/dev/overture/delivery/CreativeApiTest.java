package dev.overture.delivery;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Creatives over the API: versions per key and channel, approval guarded by a Camunda group, fallbacks. */
class CreativeApiTest extends DeliveryTestBase {

  static final String APPROVER = "carlaapprover";
  static final String OUTSIDER = "oscaroutsider";
  static final String PASSWORD = "secret-for-tests-1";

  @BeforeEach
  void people() {
    // the approver writes creatives too (as a marketer), so the four-eyes check can be seen
    ensureUserInGroup(APPROVER, PASSWORD, "creative-approvers", "marketers");
    ensureUserInGroup(OUTSIDER, PASSWORD, "marketers");
  }

  @Test
  void eachPostIsANewVersionOfKeyAndChannelPendingApproval() {
    String key = uniqueKey("launch");
    api().body(sms(key, "Hi {{firstName}}")).post("/api/creatives").then().statusCode(201)
        .body("version", equalTo(1)).body("status", equalTo("pending")).body("channel", equalTo("sms"));
    api().body(sms(key, "Hello {{firstName}}")).post("/api/creatives").then().statusCode(201).body("version", equalTo(2));
    api().body(email(key)).post("/api/creatives").then().statusCode(201).body("version", equalTo(1));

    api().get("/api/creatives/{key}", key).then().statusCode(200)
        .body("size()", equalTo(3))
        .body("findAll { it.channel == 'sms' }.version", org.hamcrest.Matchers.contains(2, 1));
  }

  @Test
  void aDraftThatBreaksItsDeclaredRulesIsRefusedAndNothingIsStored() {
    api().body(sms("Bad Key!", "Hi")).post("/api/creatives").then().statusCode(400)
        .contentType("application/problem+json").body("type", containsString("invalid-creative"))
        .body("detail", equalTo("key must be 1 to 128 lower-case letters, digits, dots or dashes"));
    String key = uniqueKey("locale");
    Map<String, Object> badLocale = new HashMap<>(sms(key, "Hi"));
    badLocale.put("locale", "not a tag");
    api().body(badLocale).post("/api/creatives").then().statusCode(400)
        .body("detail", equalTo("locale must be a language tag such as en, de or fr-CA"));
    api().get("/api/creatives/{key}", key).then().statusCode(404);
  }

  @Test
  void apiKeysAndPeopleOutsideTheGroupCannotApprove() {
    String key = uniqueKey("guarded");
    api().body(sms(key, "Hi")).post("/api/creatives").then().statusCode(201);

    api().post("/api/creatives/{key}/sms/versions/1/approval", key).then().statusCode(403)
        .contentType("application/problem+json").body("detail", containsString("needs group creative-approvers"));
    as(OUTSIDER).post("/api/creatives/{key}/sms/versions/1/approval", key).then().statusCode(403)
        .contentType("application/problem+json").body("detail", containsString("needs group creative-approvers"));
    assertThat(creatives.approved(key, "sms")).isEmpty();
  }

  @Test
  void theAuthorCannotApproveTheirOwnVersion() {
    String key = uniqueKey("own");
    as(APPROVER).body(sms(key, "Hi")).post("/api/creatives").then().statusCode(201);
    as(APPROVER).post("/api/creatives/{key}/sms/versions/1/approval", key).then().statusCode(409)
        .body("type", containsString("own-creative"));
  }

  @Test
  void onlyApprovedVersionsAreDispatchedAndAnEditNeedsApprovalAgain() {
    String key = uniqueKey("versions");
    String profileId = profile(Map.of("phone", uniquePhone()), Map.of("firstName", "Ada"));
    api().body(sms(key, "v1 for {{firstName}}")).post("/api/creatives").then().statusCode(201);

    Delivery unapproved = awaitFinal(send(profileId, Channel.SMS, Purpose.TRANSACTIONAL, key));
    assertThat(unapproved.status()).isEqualTo("failed");
    assertThat(unapproved.reason()).contains("no approved sms creative");

    as(APPROVER).post("/api/creatives/{key}/sms/versions/1/approval", key).then().statusCode(200)
        .body("status", equalTo("approved")).body("approvedBy", equalTo("user:" + APPROVER));
    api().body(sms(key, "v2 for {{firstName}}")).post("/api/creatives").then().statusCode(201)
        .body("version", equalTo(2)).body("status", equalTo("pending"));

    assertThat(awaitFinal(send(profileId, Channel.SMS, Purpose.TRANSACTIONAL, key)).creativeVersion()).isEqualTo(1);
    as(APPROVER).post("/api/creatives/{key}/sms/versions/2/approval", key).then().statusCode(200);
    assertThat(awaitFinal(send(profileId, Channel.SMS, Purpose.TRANSACTIONAL, key)).creativeVersion()).isEqualTo(2);
  }

  @Test
  void aMissingAttributeRendersItsFallbackNeverALiteralTag() {
    String key = uniqueKey("fallback");
    Map<String, Object> draft = new HashMap<>(email(key));
    draft.put("subject", "Hello {{firstName}}{{#city}} from {{city}}{{/city}}");
    draft.put("text", "Hi {{firstName}}, your code is {{couponCode}}.");
    draft.put("fallbacks", Map.of("firstName", "there"));
    api().body(draft).post("/api/creatives").then().statusCode(201);
    String profileId = createProfile(uniqueEmail("nofirst"), "");

    // no couponCode and no fallback for it: the message would have a hole, so the preview refuses and says which value
    api().body(Map.of("profileId", profileId)).post("/api/creatives/{key}/email/versions/1/preview", key).then().statusCode(422)
        .body("detail", containsString("couponCode"));
    draft.put("fallbacks", Map.of("firstName", "there", "couponCode", "WELCOME10"));
    api().body(draft).post("/api/creatives").then().statusCode(201);
    api().body(Map.of("profileId", profileId)).post("/api/creatives/{key}/email/versions/2/preview", key).then().statusCode(200)
        .body("subject", equalTo("Hello there"))
        .body("text", startsWith("Hi there, your code is WELCOME10."))
        .body("html", org.hamcrest.Matchers.not(containsString("{{")));
  }

  @Test
  void aTemplateThatDoesNotCompileIsRefusedWithAProblem() {
    api().body(sms(uniqueKey("broken"), "Hi {{#firstName}} unclosed")).post("/api/creatives")
        .then().statusCode(400).contentType("application/problem+json").body("type", containsString("invalid-template"));
    api().body(Map.of("key", uniqueKey("nobody"), "channel", "sms")).post("/api/creatives")
        .then().statusCode(400).body("detail", containsString("smsBody"));
  }

  private RequestSpecification as(String user) {
    return given().auth().preemptive().basic(user, PASSWORD).contentType(ContentType.JSON);
  }

  private static Map<String, Object> sms(String key, String body) {
    return Map.of("key", key, "channel", "sms", "smsBody", body);
  }

  private static Map<String, Object> email(String key) {
    return Map.of("key", key, "channel", "email", "subject", "Hi {{firstName}}", "html", "<p>Hi {{firstName}}</p>",
        "text", "Hi {{firstName}}");
  }
}
