package dev.overture.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.Dialects;
import dev.overture.support.AppTestBase;
import io.restassured.response.Response;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.info.BuildProperties;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The OpenAPI document is a contract a client can be generated from: valid OpenAPI 3.1 (the official
 * JSON schema of the specification), titled and versioned, every operation with a summary, a tag,
 * its security as the access table says, its problem answers and request examples; and no status it
 * documents differs from what the app answers. The success status is derived from each handler
 * method ({@code @ResponseStatus}, or 200 for a plain body; a {@code ResponseEntity} handler must
 * declare it with {@code @ApiResponse}), and checked live for the handlers whose success the test
 * can cheaply bring about; every operation is also probed with an empty body and made-up ids, and
 * whatever it answers must be documented.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiContractTest extends AppTestBase {

  private static final Set<String> PUBLIC_PREFIXES = Set.of("/api/", "/v1/", "/t/", "/hooks/");
  static final java.nio.file.Path COMMITTED = java.nio.file.Path.of("docs/openapi.json");
  private static final String DOCUMENT = "https://overture.dev/openapi.json";
  /** Request bodies whose every property may be left out, and the creative content that is both request and answer. */
  private static final java.util.regex.Pattern REQUEST_ONLY =
      java.util.regex.Pattern.compile("ConsentRequirement|Content|EntryRequest|PauseRequest");

  @Autowired
  BuildProperties build;
  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  private JsonNode doc;
  private SchemaRegistry answers;

  @BeforeAll
  void document() throws IOException {
    String served = given().port(port).get("/v3/api-docs").then().statusCode(200).extract().asString();
    doc = new ObjectMapper().readTree(served);
    answers = SchemaRegistry.withDialect(Dialects.getOpenApi31(), registry -> registry.schemas(Map.of(DOCUMENT, served)));
  }

  /**
   * The document clients and the build's generators read ({@code docs/openapi.json}: the Java client of the tests,
   * Spectral) is the one the app serves. {@code -Doverture.openapi.update=true} writes the served one over it.
   */
  @Test
  void isTheCommittedDocument() throws IOException {
    String served = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n";
    if (Boolean.getBoolean("overture.openapi.update")) {
      Files.writeString(COMMITTED, served);
    }
    assertThat(Files.readString(COMMITTED)).as("%s (update with -Doverture.openapi.update=true)", COMMITTED)
        .isEqualTo(served);
  }

  @Test
  void isAValidOpenApi31Document() throws IOException {
    Schema oas;
    try (InputStream schema = getClass().getResourceAsStream("/openapi/oas-3.1-schema.json")) {
      oas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema);
    }
    List<Error> errors = oas.validate(doc);

    assertThat(doc.path("openapi").asText()).startsWith("3.1.");
    assertThat(errors).as("OAS 3.1 schema errors").isEmpty();
  }

  @Test
  void showsTheConstraintsThatRequestRecordsDeclare() {
    JsonNode schemas = doc.at("/components/schemas");
    JsonNode newKey = schemas.get("NewKey");
    assertThat(newKey.get("required")).extracting(JsonNode::asText).contains("name");
    assertThat(newKey.at("/properties/name/maxLength").asInt()).isEqualTo(100);
    JsonNode consent = schemas.get("ConsentRequest");
    assertThat(consent.at("/properties/status/pattern").asText()).isEqualTo("granted|revoked");
    assertThat(consent.at("/properties/source/maxLength").asInt()).isEqualTo(200);
    // checked in the facade, all problems in one answer, and declared all the same
    JsonNode campaign = schemas.get("NewCampaign");
    assertThat(campaign.get("required")).extracting(JsonNode::asText).contains("key", "name", "journeyKey", "startAt", "endAt");
    assertThat(campaign.at("/properties/key/pattern").asText()).isEqualTo("^[a-z0-9][a-z0-9.-]{0,127}$");
    assertThat(campaign.at("/properties/creativeKeys/minItems").asInt()).isEqualTo(1);
    assertThat(schemas.get("Draft").at("/properties/key/pattern").asText()).isEqualTo("^[a-z0-9][a-z0-9.-]{0,127}$");
    JsonNode limit = Stream.of(doc.at("/paths/~1api~1segments~1{key}~1members/get/parameters").spliterator())
        .flatMap(it -> java.util.stream.StreamSupport.stream(it, false))
        .filter(p -> p.get("name").asText().equals("limit")).findFirst().orElseThrow();
    assertThat(limit.at("/schema/minimum").asInt()).isEqualTo(1);
    assertThat(limit.at("/schema/maximum").asInt()).isEqualTo(1000);
  }

  @Test
  void isTitledOvertureWithTheProjectVersion() {
    assertThat(doc.at("/info/title").asText()).isEqualTo("Overture");
    assertThat(doc.at("/info/version").asText()).isEqualTo(build.getVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void everyOperationNamesTheCredentialsTheAccessTableAccepts() throws IOException {
    Map<String, AccessTableTest.Row> table = AccessTableTest.parse(Files.readAllLines(AccessTableTest.TABLE));
    assertThat(doc.at("/components/securitySchemes").fieldNames()).toIterable()
        .containsExactlyInAnyOrder(OpenApiContract.API_KEY, OpenApiContract.CAMUNDA_USER, OpenApiContract.WRITE_KEY);
    operations().forEach((operation, op) -> {
      AccessTableTest.Row row = table.get(operation);
      assertThat(row).as("docs/access.md row for %s", operation).isNotNull();
      Set<String> expected = new TreeSet<>();
      if (!row.isPublic()) {
        if (row.writeKey()) {
          expected.add(OpenApiContract.WRITE_KEY);
        }
        if (!row.scopes().isEmpty()) {
          expected.add(OpenApiContract.API_KEY);
        }
        if (!row.groups().isEmpty()) {
          expected.add(OpenApiContract.CAMUNDA_USER);
        }
      }
      Set<String> documented = new TreeSet<>();
      op.path("security").forEach(requirement -> requirement.fieldNames().forEachRemaining(documented::add));
      assertThat(op.has("security")).as("%s declares its security", operation).isTrue();
      assertThat(documented).as("security of %s", operation).isEqualTo(expected);
    });
  }

  @Test
  void everyOperationHasASummaryATagItsProblemAnswersAndRequestExamples() {
    operations().forEach((operation, op) -> {
      assertThat(op.path("summary").asText()).as("summary of %s", operation).isNotBlank();
      assertThat(op.path("tags")).as("tags of %s", operation).isNotEmpty()
          .allSatisfy(tag -> assertThat(tag.asText()).doesNotEndWith("-controller"));
      Set<String> codes = codes(op);
      assertThat(codes).as("answers of %s", operation).contains("500", "503");
      // tracking links and provider webhooks are public: a signature is their credential, not a caller's
      boolean signed = operation.contains(" /t/") || operation.contains(" /hooks/");
      if (!signed) {
        assertThat(codes).as("answers of %s", operation).contains("400", "401", "403");
      }
      assertThat(codes.stream().filter(c -> c.startsWith("4")).count()).as("4xx answers of %s", operation).isPositive();
      op.path("responses").fields().forEachRemaining(response -> {
        if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
          JsonNode content = response.getValue().path("content");
          assertThat(content.fieldNames()).toIterable().as("%s %s", operation, response.getKey())
              .containsExactly("application/problem+json");
          assertThat(content.at("/application~1problem+json/schema/$ref").asText())
              .isEqualTo("#/components/schemas/" + OpenApiContract.PROBLEM);
        }
      });
      if (op.has("requestBody") && !operation.contains(" /v1/") && !signed) {
        assertThat(codes).as("answers of %s", operation).contains("415");
      }
      if (op.has("requestBody")) {
        op.path("requestBody").path("content").forEach(media -> assertThat(media.has("example") || media.has("examples"))
            .as("request example of %s", operation).isTrue());
      }
    });
    assertThat(doc.at("/components/schemas/" + OpenApiContract.PROBLEM + "/properties").fieldNames()).toIterable()
        .contains("type", "title", "status", "detail", "instance");
  }

  @Test
  void documentsTheSuccessStatusEachHandlerAnswers() {
    Map<String, JsonNode> operations = operations();
    int checked = 0;
    for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
      for (String operation : operationsOf(entry.getKey())) {
        JsonNode op = operations.get(operation);
        if (op == null) {
          continue;
        }
        Set<String> documented = new TreeSet<>(codes(op).stream().filter(c -> c.compareTo("4") < 0).toList());
        // springdoc leaves the default 200 out once a handler declares any @ApiResponse: it declares its success too
        assertThat(documented).as("success answers of %s", operation).isEqualTo(successOf(entry.getValue()));
        checked++;
      }
    }
    assertThat(checked).as("operations matched to their handlers").isEqualTo(operations.size());
  }

  Stream<Arguments> operationsToProbe() {
    return operations().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operationsToProbe")
  void answersAProbeOnlyWithADocumentedStatus(String operation, JsonNode op) {
    String method = operation.substring(0, operation.indexOf(' '));
    String path = AccessTableTest.concrete(operation.substring(operation.indexOf(' ') + 1), op.path("parameters"));

    Response response = api().body("{}").redirects().follow(false).request(method, path);

    assertThat(codes(op)).as("%s %s answered %s", method, path, response.asString())
        .contains(Integer.toString(response.statusCode()));
    assertAnswersAsDocumented(operation, response);
  }

  @Test
  void answersTheDocumentedSuccessWhereTheTestCanBringItAboutAndRefusesABodyThatIsNotJson() {
    String email = uniqueEmail("contract");
    Map<String, Object> profile = Map.of("identities", Map.of("email", email));
    String profileId = expect("POST /api/profiles", api().body(profile).post("/api/profiles"), 201).path("id");
    expect("POST /api/profiles", api().body(profile).post("/api/profiles"), 200);
    Integer keyId = expect("POST /api/keys",
        api().body(Map.of("name", "contract", "scopes", List.of("events:write"))).post("/api/keys"), 201).path("id");
    expect("DELETE /api/keys/{id}", api().delete("/api/keys/{id}", keyId), 204);
    Map<String, Object> suppression = Map.of("channel", "email", "address", email);
    expect("POST /api/suppressions", api().body(suppression).post("/api/suppressions"), 201);
    expect("POST /api/suppressions", api().body(suppression).post("/api/suppressions"), 200);
    expect("DELETE /api/suppressions/{channel}/{address}", api().delete("/api/suppressions/email/{address}", email), 204);
    expect("POST /api/events", api().body(Map.of("eventId", UUID.randomUUID().toString(), "type", "contract.checked",
        "profileId", profileId)).post("/api/events"), 202);
    expect("POST /api/events", api().contentType("text/plain").body("{}").post("/api/events"), 415);
    String segment = "contract-" + UUID.randomUUID().toString().substring(0, 8);
    expect("POST /api/segments", api().body(Map.of("key", segment, "name", "Contract", "expression", "true"))
        .post("/api/segments"), 201);
    expect("POST /api/journeys/{journeyKey}/entries", api().body(Map.of("profileId", profileId))
        .post("/api/journeys/welcome/entries"), 201);
    expect("POST /v1/{call}", api().body(Map.of("userId", "contract-" + UUID.randomUUID(), "event", "Contract Checked"))
        .post("/v1/track"), 200);
  }

  @Test
  void answersWhatItsSchemasDeclareAlongTheWalkthroughAndItsReads() {
    String email = uniqueEmail("schemas");
    String profileId = expect("POST /api/profiles", api().body(Map.of("identities", Map.of("email", email),
        "attributes", Map.of("firstName", "Ada"))).post("/api/profiles"), 201).path("id");
    expect("PUT /api/profiles/{profileId}/consents/{channel}", api().body(Map.of("purpose", "marketing",
        "status", "granted", "source", "signup-form")).put("/api/profiles/{id}/consents/email", profileId), 200);
    String entryId = expect("POST /api/journeys/{journeyKey}/entries", api().header("Idempotency-Key", UUID.randomUUID())
        .body(Map.of("profileId", profileId)).post("/api/journeys/welcome/entries"), 201).path("entryId");
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> api()
        .get("/api/deliveries?profileId={id}", profileId).jsonPath().getList("status").contains("sent"));
    String deliveryId = expect("GET /api/deliveries", api().get("/api/deliveries?profileId={id}", profileId), 200)
        .path("[0].id");
    expect("GET /api/deliveries/{id}", api().get("/api/deliveries/{id}", deliveryId), 200);
    expect("GET /api/profiles/{profileId}", api().get("/api/profiles/{id}", profileId), 200);
    expect("GET /api/profiles", api().get("/api/profiles?email={email}", email), 200);
    expect("GET /api/profiles/{profileId}/consents", api().get("/api/profiles/{id}/consents", profileId), 200);
    expect("GET /api/profiles/{profileId}/journeys", api().get("/api/profiles/{id}/journeys", profileId), 200);
    expect("GET /api/profiles/{profileId}/export", api().get("/api/profiles/{id}/export", profileId), 200);
    expect("GET /api/journeys/{journeyKey}/entries/{entryId}",
        api().get("/api/journeys/welcome/entries/{entryId}", entryId), 200);
    expect("POST /api/events", api().body(Map.of("eventId", UUID.randomUUID().toString(), "type", "purchase.completed",
        "profileId", profileId)).post("/api/events"), 202);
    expect("GET /api/journeys", api().get("/api/journeys"), 200);
    expect("GET /api/journeys/{journeyKey}", api().get("/api/journeys/welcome"), 200);
    expect("GET /api/journeys/{journeyKey}/stats", api().get("/api/journeys/welcome/stats"), 200);
    expect("GET /api/journeys/{journeyKey}/results", api().get("/api/journeys/welcome/results"), 200);
    expect("GET /api/journeys/{journeyKey}/results", api().get("/api/journeys/winback/results"), 200);
    expect("GET /api/keys", api().get("/api/keys"), 200);
    String segment = "schemas-" + UUID.randomUUID().toString().substring(0, 8);
    expect("POST /api/segments", api().body(Map.of("key", segment, "name", "Schemas", "expression", "true"))
        .post("/api/segments"), 201);
    expect("GET /api/segments/{key}", api().get("/api/segments/{key}", segment), 200);
    expect("GET /api/segments/{key}/count", api().get("/api/segments/{key}/count", segment), 200);
    expect("GET /api/segments/{key}/members", api().get("/api/segments/{key}/members?limit=2", segment), 200);
    Response creatives = expect("GET /api/creatives/{key}", api().get("/api/creatives/welcome"), 200);
    String channel = creatives.path("[0].channel");
    int version = creatives.path("[0].version");
    expect("GET /api/creatives/{key}/{channel}/versions/{version}",
        api().get("/api/creatives/welcome/{channel}/versions/{version}", channel, version), 200);
    expect("POST /api/creatives/{key}/{channel}/versions/{version}/preview", api().body(Map.of("profileId", profileId))
        .post("/api/creatives/welcome/{channel}/versions/{version}/preview", channel, version), 200);
    // a segment nobody is in: the enrollment and the campaign touch no other test's profiles
    String nobody = "schemas-" + UUID.randomUUID().toString().substring(0, 8);
    expect("POST /api/segments", api().body(Map.of("key", nobody, "name", "Nobody",
        "expression", "firstName = \"" + nobody + "\"")).post("/api/segments"), 201);
    String enrollment = expect("POST /api/journeys/{journeyKey}/enrollments", api().body(Map.of("segmentKey", nobody))
        .post("/api/journeys/welcome/enrollments"), 202).path("id");
    expect("GET /api/enrollments/{id}", api().get("/api/enrollments/{id}", enrollment), 200);
    String campaign = expect("POST /api/campaigns", api().body(Map.of("key", nobody, "name", "Nobody",
        "journeyKey", "welcome", "segmentKey", nobody, "creativeKeys", List.of("welcome"),
        "startAt", "2030-01-01T08:00:00Z", "endAt", "2030-02-01T08:00:00Z", "author", ADMIN)).post("/api/campaigns"), 201)
        .path("id");
    expect("GET /api/campaigns/{id}", api().get("/api/campaigns/{id}", campaign), 200);
    expect("DELETE /api/profiles/{profileId}", api().delete("/api/profiles/{id}", profileId), 200);
  }

  @Test
  void theSchemaCheckRefusesAnAnswerWithoutARequiredPropertyOrWithANullWhereNoneIsAllowed() {
    Schema profile = answers.getSchema(SchemaLocation.of(DOCUMENT + "#/components/schemas/Profile"));
    Schema stats = answers.getSchema(SchemaLocation.of(DOCUMENT + "#/components/schemas/Stats"));

    assertThat(profile.validate("{\"identities\": {}, \"attributes\": {}}", InputFormat.JSON)).isNotEmpty();
    assertThat(stats.validate("{\"journeyKey\": null}", InputFormat.JSON)).isNotEmpty();
    assertThat(doc.at("/components/schemas/Profile/required")).extracting(JsonNode::asText)
        .contains("id", "identities", "attributes", "createdAt", "updatedAt");
    // null where the record includes a nullable component always; absent where it leaves it out
    assertThat(doc.at("/components/schemas/Stats/properties/version/type")).extracting(JsonNode::asText)
        .containsExactly("integer", "null");
    assertThat(doc.at("/components/schemas/Delivery/required")).extracting(JsonNode::asText)
        .contains("id", "status").doesNotContain("sentAt", "reason");
  }

  @Test
  void everyAnswerSchemaDeclaresWhatItAlwaysHas() {
    doc.at("/components/schemas").fields().forEachRemaining(schema -> {
      if (schema.getValue().has("properties") && !REQUEST_ONLY.matcher(schema.getKey()).matches()) {
        assertThat(schema.getValue().path("required")).as("required properties of %s", schema.getKey()).isNotEmpty();
      }
    });
  }

  private Response expect(String operation, Response response, int status) {
    assertThat(response.statusCode()).as("%s: %s", operation, response.asString()).isEqualTo(status);
    assertThat(codes(operations().get(operation))).as("documented answers of %s", operation)
        .contains(Integer.toString(status));
    assertAnswersAsDocumented(operation, response);
    return response;
  }

  /**
   * The body is what the document says this operation answers with this status: its content type, and valid against
   * the schema given for it (required properties, types, {@code null} only where allowed), or empty where none is.
   */
  private void assertAnswersAsDocumented(String operation, Response response) {
    String method = operation.substring(0, operation.indexOf(' ')).toLowerCase();
    String path = operation.substring(operation.indexOf(' ') + 1);
    String answer = "/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method + "/responses/"
        + response.statusCode();
    JsonNode content = doc.at(answer + "/content");
    if (content.isMissingNode() || content.isEmpty()) {
      assertThat(response.asString()).as("%s %s has no documented body", operation, response.statusCode()).isEmpty();
      return;
    }
    String media = response.contentType().replaceFirst(";.*", "");
    assertThat(content.has(media)).as("%s %s documents %s (it has %s)", operation, response.statusCode(), media,
        content.fieldNames().next()).isTrue();
    String pointer = answer + "/content/" + media.replace("/", "~1") + "/schema";
    Schema schema = answers.getSchema(SchemaLocation.of(DOCUMENT + "#" + pointer.replace("{", "%7B").replace("}", "%7D")));
    assertThat(schema.validate(response.asString(), InputFormat.JSON))
        .as("%s %s answered %s", operation, response.statusCode(), response.asString()).isEmpty();
  }

  /** What the handler answers on success, as far as its method says it. */
  private static Set<String> successOf(HandlerMethod handler) {
    Method method = handler.getMethod();
    ResponseStatus status = AnnotatedElementUtils.findMergedAnnotation(method, ResponseStatus.class);
    if (status != null) {
      return Set.of(Integer.toString(status.code().value()));
    }
    if (!ResponseEntity.class.isAssignableFrom(method.getReturnType())) {
      return Set.of("200");
    }
    Set<String> declared = new TreeSet<>();
    for (ApiResponse response : AnnotatedElementUtils.findMergedRepeatableAnnotations(method, ApiResponse.class)) {
      if (response.responseCode().compareTo("4") < 0) {
        declared.add(response.responseCode());
      }
    }
    assertThat(declared).as("%s answers through ResponseEntity: declare its success status with @ApiResponse", method)
        .isNotEmpty();
    return declared;
  }

  /** "METHOD /path" as the document spells them, for the patterns and methods of one mapping. */
  private static List<String> operationsOf(RequestMappingInfo info) {
    List<String> out = new ArrayList<>();
    if (info.getPathPatternsCondition() == null) {
      return out;
    }
    for (String pattern : info.getPathPatternsCondition().getPatternValues()) {
      String path = pattern.replaceAll("\\{([^}:]+):[^}]*}", "{$1}");
      if (PUBLIC_PREFIXES.stream().anyMatch(path::startsWith)) {
        info.getMethodsCondition().getMethods().forEach(m -> out.add(m.name() + " " + path));
      }
    }
    return out;
  }

  private Map<String, JsonNode> operations() {
    Map<String, JsonNode> operations = new LinkedHashMap<>();
    doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
      if (Arrays.asList("get", "put", "post", "delete", "patch").contains(op.getKey())) {
        operations.put(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue());
      }
    }));
    return operations;
  }

  private static Set<String> codes(JsonNode op) {
    Set<String> codes = new TreeSet<>();
    op.path("responses").fieldNames().forEachRemaining(codes::add);
    return codes;
  }
}
