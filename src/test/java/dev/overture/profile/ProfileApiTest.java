package dev.overture.profile;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.overture.support.AppTestBase;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileApiTest extends AppTestBase {

  @Test
  void upsertByIdentityMergesAttributes() {
    String email = uniqueEmail("Mixed.Case");
    String id = api().body(Map.of("identities", Map.of("email", email.toUpperCase()), "attributes", Map.of("firstName", "Ada", "tier", "gold")))
        .post("/api/profiles").then().statusCode(201).extract().path("id");

    api().body(Map.of("identities", Map.of("email", email, "phone", "+49 151 1234 5678"), "attributes", Map.of("tier", "silver")))
        .post("/api/profiles").then().statusCode(200)
        .body("id", equalTo(id))
        .body("attributes.firstName", equalTo("Ada"))
        .body("attributes.tier", equalTo("silver"))
        .body("identities.email", equalTo(email.toLowerCase()))
        .body("identities.phone", equalTo("+4915112345678"));

    api().queryParam("phone", "+4915112345678").get("/api/profiles").then().statusCode(200).body("id", equalTo(id));
  }

  @Test
  void consentLedgerKeepsHistoryAndDerivesTheCurrentState() {
    String id = createProfile(uniqueEmail("ledger"), "L");
    setConsent(id, "email", "marketing", "granted");
    setConsent(id, "email", "marketing", "revoked");
    setConsent(id, "sms", "transactional", "granted");

    api().get("/api/profiles/{id}/consents", id).then().statusCode(200)
        .body("history", hasSize(3))
        .body("current", hasSize(2))
        .body("current.find { it.channel == 'email' }.status", equalTo("revoked"))
        .body("history[0].recordedBy", equalTo("api-key:bootstrap"));
  }

  @Test
  void badProfileInputIsAProblem() {
    api().body(Map.of("attributes", Map.of("a", 1))).post("/api/profiles")
        .then().statusCode(400).contentType("application/problem+json").body("type", containsString("missing-identity"));
    api().body(Map.of("identities", Map.of("email", "not-an-email"))).post("/api/profiles")
        .then().statusCode(400).body("detail", containsString("not an email address"));
    api().body(Map.of("identities", Map.of("fax", "123"))).post("/api/profiles")
        .then().statusCode(400).body("type", containsString("unknown-identity-type"));
    api().get("/api/profiles/{id}", "nope").then().statusCode(404).contentType("application/problem+json");
    String id = createProfile(uniqueEmail("bad"), "B");
    api().body(Map.of("purpose", "marketing", "status", "maybe")).put("/api/profiles/{id}/consents/email", id)
        .then().statusCode(400).body("type", containsString("invalid-consent-status"));
    api().body(Map.of("purpose", "marketing", "status", "granted")).put("/api/profiles/{id}/consents/fax", id)
        .then().statusCode(400).body("type", containsString("unknown-channel"));
    api().get("/api/profiles/{id}/consents", id).then().body("history", hasSize(0));
  }
}
