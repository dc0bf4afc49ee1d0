package dev.overture.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.overture.campaign.CampaignFixtures;
import dev.overture.support.AppTestBase;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The access table of {@code docs/access.md} is what the app does. Every cell (each operation of the OpenAPI
 * document, for a user of each group, a key of each scope, the Segment write key and nobody) is held against
 * {@link AccessRules}, the table the request filter decides by; over HTTP, a sample in which every operation
 * and every caller appears, allowed and refused, shows the filter answers as the rules say (403 problem, 401
 * without credentials, the refusal naming what would have been enough).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessTableTest extends AppTestBase {

  static final Path TABLE = Path.of("docs/access.md");
  static final List<String> GROUPS = List.of("marketers", "creative-reviewers", "compliance-officers", "privacy-officers",
      "creative-approvers", "camunda-admin");
  private static final Pattern PARAM = Pattern.compile("\\{([^}/]+)}");

  @Autowired
  IdentityService identity;
  @Autowired
  ApiKeys keys;
  @Autowired
  AccessRules rules;

  private final List<Role> roles = new ArrayList<>();
  private Map<String, Row> table;
  private Map<String, JsonNode> operations;

  /** Who calls: a group or a scope (as the table's columns name them), the write key, or nobody. */
  record Role(String name, Kind kind, Supplier<RequestSpecification> request) {
    enum Kind { GROUP, SCOPE, WRITE_KEY, NOBODY }

    /** What the request filter knows of this caller; empty for nobody. */
    Optional<Caller.Rights> rights() {
      return switch (kind) {
        case GROUP -> Optional.of(Caller.Rights.person("access-" + name, Set.of(name)));
        case SCOPE -> Optional.of(Caller.Rights.apiKey("access-table " + name, Set.of(name)));
        case WRITE_KEY -> Optional.of(Caller.Rights.writeKey("access-table"));
        case NOBODY -> Optional.empty();
      };
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * A row of the table: the groups marked yes, whether the write key may, the scopes that may (or public), or that a
   * provider's signature of the request is the credential and no caller's counts ({@code signature}).
   */
  record Row(Set<String> groups, boolean writeKey, Set<String> scopes, boolean isPublic, boolean signed) {

    boolean allows(Role role) {
      if (signed) {
        return false;
      }
      return isPublic || switch (role.kind()) {
        case GROUP -> groups.contains(role.name());
        case SCOPE -> scopes.contains(role.name());
        case WRITE_KEY -> writeKey;
        case NOBODY -> false;
      };
    }
  }

  @BeforeAll
  void callers() throws IOException {
    table = parse(Files.readAllLines(TABLE));
    operations = operations();
    for (String group : GROUPS) {
      if (identity.createGroupQuery().groupId(group).count() == 0) {
        identity.saveGroup(identity.newGroup(group));
      }
      String user = CampaignFixtures.user(identity, "access", group);
      roles.add(new Role(group, Role.Kind.GROUP, () -> given().auth().preemptive().basic(user, user + "-pw")));
    }
    for (String scope : AccessRules.SCOPES) {
      String key = keys.create("access-table " + scope, List.of(scope)).key();
      roles.add(new Role(scope, Role.Kind.SCOPE, () -> given().header("Authorization", "Bearer " + key)));
    }
    roles.add(new Role("Segment write key", Role.Kind.WRITE_KEY,
        () -> given().auth().preemptive().basic(SEGMENT_WRITE_KEY, "")));
    roles.add(new Role("no credentials", Role.Kind.NOBODY, io.restassured.RestAssured::given));
  }

  @Test
  void everyCellOfTheTableIsWhatTheRulesDecide() {
    List<String> wrong = new ArrayList<>();
    operations.forEach((operation, parameters) -> {
      Row row = table.get(operation);
      assertThat(row).as("docs/access.md needs a row for %s", operation).isNotNull();
      String method = operation.substring(0, operation.indexOf(' '));
      String path = concrete(operation.substring(operation.indexOf(' ') + 1), parameters);
      if (row.signed()) {
        // the request filter leaves it to the signature: every caller passes it, and the handler decides
        roles.stream().filter(role -> !decides(method, path, role))
            .forEach(role -> wrong.add(operation + " as " + role + ": signed, but the request filter guards it"));
        return;
      }
      for (Role role : roles) {
        if (row.allows(role) != decides(method, path, role)) {
          wrong.add(operation + " as " + role + ": the table says " + (row.allows(role) ? "yes" : "no"));
        }
      }
    });
    assertThat(wrong).as("cells of docs/access.md that AccessRules decides otherwise").isEmpty();
  }

  /** What the request filter decides: outside /api, /v1 and the actuator it does not guard; inside, a rule must grant it. */
  private boolean decides(String method, String path, Role role) {
    if (!path.startsWith("/api/") && !path.startsWith("/v1/") && !path.startsWith(AccessRules.ACTUATOR)) {
      return true;
    }
    return role.rights().flatMap(rights -> rules.permissionFor(method, path).map(p -> AccessRules.grants(p, rights)))
        .orElse(false);
  }

  /**
   * Every operation twice over HTTP: once by the caller whose turn it is (so each caller appears), once by the next
   * caller with the other answer, so each operation is seen both allowed and refused where the table has both.
   */
  Stream<Arguments> sampledCalls() {
    List<Arguments> calls = new ArrayList<>();
    int turn = 0;
    for (Map.Entry<String, JsonNode> operation : operations.entrySet()) {
      Row row = table.get(operation.getKey());
      Role first = roles.get(turn++ % roles.size());
      calls.add(Arguments.of(operation.getKey(), operation.getValue(), first));
      if (row != null) {
        for (int i = 1; i < roles.size(); i++) {
          Role other = roles.get((turn - 1 + i) % roles.size());
          if (row.allows(other) != row.allows(first)) {
            calls.add(Arguments.of(operation.getKey(), operation.getValue(), other));
            break;
          }
        }
      }
    }
    return calls.stream();
  }

  @Test
  void theSampleHasEveryOperationAndEveryCaller() {
    List<Arguments> calls = sampledCalls().toList();
    assertThat(calls.stream().map(a -> a.get()[0]).distinct()).containsExactlyInAnyOrderElementsOf(operations.keySet());
    assertThat(calls.stream().map(a -> a.get()[2]).distinct()).containsExactlyInAnyOrderElementsOf(roles);
  }

  @ParameterizedTest(name = "{0} as {2}")
  @MethodSource("sampledCalls")
  void answersAsTheAccessTableSays(String operation, JsonNode parameters, Role role) {
    Row row = table.get(operation);
    assertThat(row).as("docs/access.md needs a row for %s", operation).isNotNull();
    String method = operation.substring(0, operation.indexOf(' '));
    String path = concrete(operation.substring(operation.indexOf(' ') + 1), parameters);

    Response response = role.request().get().contentType("application/json").body("{}").request(method, path);

    if (row.allows(role)) {
      assertThat(response.statusCode()).as("%s %s as %s: %s", method, path, role, response.asString()).isNotIn(401, 403);
      return;
    }
    int expected = role.kind() == Role.Kind.NOBODY && !row.signed() ? 401 : 403;
    assertThat(response.statusCode()).as("%s %s as %s: %s", method, path, role, response.asString()).isEqualTo(expected);
    assertThat(response.contentType()).startsWith("application/problem+json");
    if (expected == 403 && !row.signed()) {
      // the refusal names what would have been enough: the row's own scope, else a group
      String named = row.scopes().stream().filter(s -> !s.equals(AccessRules.ADMIN_SCOPE)).findFirst()
          .or(() -> row.scopes().stream().findFirst()).map(s -> "scope " + s).orElse("group ");
      assertThat(response.jsonPath().getString("detail")).contains(" needs ").contains(named);
    }
  }

  @Test
  void everyRowOfTheTableIsAnOperationOfTheApi() {
    assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(operations.keySet());
  }

  /** "METHOD /path" of every operation of the OpenAPI document, with its parameters, and the guarded actuator's. */
  private Map<String, JsonNode> operations() {
    JsonNode doc;
    try {
      doc = new ObjectMapper().readTree(given().port(port).get("/v3/api-docs").then().statusCode(200).extract().asString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Map<String, JsonNode> operations = new LinkedHashMap<>();
    doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op ->
        operations.put(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue().path("parameters"))));
    rules.actuatorOperations().forEach(op -> operations.put(op, MissingNode.getInstance()));
    return operations;
  }

  /**
   * The path with every variable filled: numbers far beyond any id in use (nothing real is deleted),
   * the first value an enum or a pattern allows, else a made-up id.
   */
  static String concrete(String template, JsonNode parameters) {
    Matcher m = PARAM.matcher(template);
    StringBuilder path = new StringBuilder();
    while (m.find()) {
      JsonNode schema = null;
      for (JsonNode p : parameters) {
        if (p.path("name").asText().equals(m.group(1))) {
          schema = p.path("schema");
        }
      }
      String value = "probe-" + m.group(1);
      if (schema != null && (schema.path("type").asText().equals("integer"))) {
        value = "987654321";
      } else if (schema != null && schema.path("enum").size() > 0) {
        value = schema.path("enum").get(0).asText();
      } else if (schema != null && schema.hasNonNull("pattern")) {
        value = schema.path("pattern").asText().split("\\|")[0].replaceAll("[^a-z]", "");
      }
      m.appendReplacement(path, value);
    }
    m.appendTail(path);
    return path.toString();
  }

  static Map<String, Row> parse(List<String> lines) {
    List<String> header = null;
    Map<String, Row> rows = new LinkedHashMap<>();
    for (String line : lines) {
      if (!line.startsWith("|")) {
        continue;
      }
      List<String> cells = Arrays.stream(line.substring(1, line.lastIndexOf('|')).split("\\|"))
          .map(c -> c.trim().replace("`", "")).toList();
      if (cells.get(0).equals("operation")) {
        header = cells;
      } else if (header != null && !cells.get(0).startsWith("---")) {
        Set<String> groups = new TreeSet<>();
        for (String group : GROUPS) {
          if (cells.get(header.indexOf(group)).equals("yes")) {
            groups.add(group);
          }
        }
        String scopes = cells.get(header.indexOf("API-key scopes"));
        Set<String> scopeSet = new TreeSet<>();
        for (String scope : scopes.split(",")) {
          if (!scope.isBlank() && !scope.trim().equals("none") && !scope.trim().equals("public")
              && !scope.trim().equals("signature")) {
            scopeSet.add(scope.trim());
          }
        }
        rows.put(cells.get(0), new Row(groups, cells.get(header.indexOf("Segment write key")).equals("yes"), scopeSet,
            scopes.equals("public"), scopes.equals("signature")));
      }
    }
    assertThat(rows).as("the table in %s", TABLE).isNotEmpty();
    return rows;
  }
}
