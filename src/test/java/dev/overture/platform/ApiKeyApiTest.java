package dev.overture.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.overture.event.internal.SegmentWriteKeys;
import dev.overture.support.AppTestBase;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;

/** API keys over the API: created with scopes and shown once, listed without secrets, revoked at once. */
class ApiKeyApiTest extends AppTestBase {

  @Autowired
  ApiKeys keys;
  @Autowired
  SegmentWriteKeys writeKeys;

  @Test
  void aCreatedKeyIsShownOnceAndListedWithItsScopesButNeverItsSecret() {
    JsonPath created = api().body(Map.of("name", "shop backend", "scopes", List.of("profiles:read", "events:write")))
        .post("/api/keys")
        .then().statusCode(201).header("Location", containsString("/api/keys/"))
        .body("key", notNullValue()).body("scopes", equalTo(List.of("profiles:read", "events:write")))
        .extract().jsonPath();
    String key = created.getString("key");
    int id = created.getInt("id");

    String listed = api().get("/api/keys").then().statusCode(200)
        .body("find { it.id == %d }.name".formatted(id), equalTo("shop backend"))
        .body("find { it.id == %d }.scopes".formatted(id), equalTo(List.of("profiles:read", "events:write")))
        .body("find { it.id == %d }.createdAt".formatted(id), notNullValue())
        .body("find { it.id == %d }.lastUsedAt".formatted(id), nullValue())
        .extract().asString();
    assertThat(listed).doesNotContain(key).doesNotContain(ApiKeys.hash(key)).doesNotContain("\"key\"");

    given().header("Authorization", "Bearer " + key).get("/api/deliveries?profileId=x").then().statusCode(200);
    api().get("/api/keys").then().body("find { it.id == %d }.lastUsedAt".formatted(id), notNullValue());
  }

  @Test
  void aKeyMayDoWhatItsScopesAllowAndIsTold403WithTheMissingScopeOtherwise() {
    String key = issue("reader", "profiles:read");
    given().header("Authorization", "Bearer " + key).get("/api/deliveries?profileId=x").then().statusCode(200);
    given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(Map.of("identities", Map.of()))
        .post("/api/profiles")
        .then().statusCode(403).contentType("application/problem+json")
        .body("detail", equalTo("POST /api/profiles needs scope profiles:write"));
    given().header("Authorization", "Bearer " + key).get("/api/keys").then().statusCode(403)
        .body("detail", equalTo("GET /api/keys needs group camunda-admin or scope admin"));
  }

  @Test
  void aRevokedKeyIsRefusedFromTheNextRequestOn() {
    String key = issue("short-lived", "profiles:read");
    int id = api().get("/api/keys").then().extract().path("find { it.name == 'short-lived' }.id");
    given().header("Authorization", "Bearer " + key).get("/api/deliveries?profileId=x").then().statusCode(200);

    api().delete("/api/keys/{id}", id).then().statusCode(204);

    given().header("Authorization", "Bearer " + key).get("/api/deliveries?profileId=x").then().statusCode(401);
    api().get("/api/keys").then().body("id", not(hasItem(id)));
    api().delete("/api/keys/{id}", id).then().statusCode(404).contentType("application/problem+json");
  }

  @Test
  void aKeyWithoutNameOrWithUnknownScopesIsAProblem() {
    api().body(Map.of("scopes", List.of("admin"))).post("/api/keys")
        .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("name"));
    api().body(Map.of("name", "x", "scopes", List.of("everything"))).post("/api/keys")
        .then().statusCode(400).body("detail", containsString("unknown scope(s) [everything]"));
    api().body(Map.of("name", "x")).post("/api/keys").then().statusCode(400).body("type", containsString("invalid-scopes"));
  }

  @Test
  void registeringAConfiguredKeyAgainSwallowsOnlyTheDuplicate() {
    keys.register("again", "configured-key-0123456789abcdef", List.of("admin"));
    assertThatNoException().isThrownBy(() -> keys.register("again", "configured-key-0123456789abcdef", List.of("admin")));
    assertThatThrownBy(() -> keys.register("n".repeat(101), "another-key-0123456789abcdef", List.of("admin")))
        .isInstanceOf(DataAccessException.class).isNotInstanceOf(DuplicateKeyException.class);

    writeKeys.register("again", "configured-write-key-0123456789");
    assertThatNoException().isThrownBy(() -> writeKeys.register("again", "configured-write-key-0123456789"));
    assertThatThrownBy(() -> writeKeys.register("n".repeat(101), "another-write-key-0123456789"))
        .isInstanceOf(DataAccessException.class).isNotInstanceOf(DuplicateKeyException.class);
  }

  private String issue(String name, String... scopes) {
    return api().body(Map.of("name", name, "scopes", List.of(scopes))).post("/api/keys")
        .then().statusCode(201).extract().path("key");
  }
}
