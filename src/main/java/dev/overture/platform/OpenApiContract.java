package dev.overture.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.modulith.ApplicationModule;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The OpenAPI document ({@code /v3/api-docs}) as a client generator needs it. What every operation
 * shares is added here, so a new endpoint gets it without annotations: the security schemes its
 * {@link AccessRules} permission accepts, the answers of the filters and the MVC layer in front of
 * every controller (400 malformed path, 401, 403, 415 for a body that is not JSON, 503 with
 * {@code Retry-After}, 500), a tag for its module, and the {@code application/problem+json}
 * {@code ProblemDetail} body on every error answer, also on the ones a controller declares itself
 * ({@code @ApiResponse(responseCode = "404", ...)}). What is particular to an operation (summary,
 * success status, 404/409/422, request example) is annotated on its handler.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiContract {

  static final String PROBLEM = "ProblemDetail";
  static final String API_KEY = "apiKey";
  static final String CAMUNDA_USER = "camundaUser";
  static final String WRITE_KEY = "segmentWriteKey";

  private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
  private static final String MODULES = "dev.overture.";

  @Bean
  OpenAPI overtureOpenApi(ObjectProvider<BuildProperties> build) {
    // without build-info (a run from an IDE that skipped the Maven build) the jar's manifest may still know it
    String version = Optional.ofNullable(build.getIfAvailable()).map(BuildProperties::getVersion)
        .or(() -> Optional.ofNullable(OpenApiContract.class.getPackage().getImplementationVersion()))
        .orElse("unknown");
    return new OpenAPI()
        .info(new Info().title("Overture").version(version).description("""
            Customer-journey orchestration: profiles, consent, events, segments, journeys, delivery and campaigns.
            Every error is an RFC 9457 problem (`application/problem+json`). Who may call what: docs/access.md.
            An answer leaves out a property that has no value: one its schema does not list as required may be absent,
            and none is `null` unless its schema allows it.""")
            .contact(new Contact().name("Overture").url("https://overture.dev")))
        // one server, not the one each request came in on, so the document is the same wherever it is read
        .servers(List.of(new Server().url("http://localhost:8080")
            .description("./mvnw spring-boot:run; a deployment serves the API at its own address")))
        .components(new Components()
            .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("An API key (`Authorization: Bearer <key>`); its scopes grant the rights"))
            .addSecuritySchemes(CAMUNDA_USER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                .description("A Camunda user (HTTP Basic); the user's groups grant the rights"))
            .addSecuritySchemes(WRITE_KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                .description("The Segment write key as the HTTP Basic user name, empty password (`/v1/*` only)")));
  }

  /**
   * The module's name as its tag, unless the controller names its capability itself with {@code @Tag};
   * the {@link RequestExample} on the request body.
   */
  @Bean
  OperationCustomizer tagsAndExamples(ObjectMapper json) {
    return (operation, handler) -> {
      if (!handler.getBeanType().isAnnotationPresent(Tag.class) && !handler.hasMethodAnnotation(Tag.class)
          && !hasOwnTags(handler.getMethodAnnotation(io.swagger.v3.oas.annotations.Operation.class))) {
        operation.setTags(new ArrayList<>(List.of(moduleName(handler.getBeanType()))));
      }
      RequestExample example = handler.getMethodAnnotation(RequestExample.class);
      if (example != null && operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
        Object body = parse(json, example.value(), handler);
        operation.getRequestBody().getContent().values().forEach(media -> media.setExample(body));
      }
      return operation;
    };
  }

  private static Object parse(ObjectMapper json, String example, HandlerMethod handler) {
    try {
      return json.readValue(example, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("@RequestExample of " + handler + " is not JSON", e);
    }
  }

  /**
   * Operation ids that stay what they are when another endpoint is added: the handler method's name, and where two
   * handlers share it, the name followed by its controller's ({@code getProfile}, {@code getSegment}), instead of the
   * numbered ids springdoc gives in the order it meets them.
   */
  @Bean
  OperationCustomizer operationIds(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mapping) {
    return (operation, handler) -> {
      String name = handler.getMethod().getName();
      long sharing = mapping.getHandlerMethods().values().stream()
          .filter(h -> h.getBeanType().getName().startsWith(MODULES) && h.getMethod().getName().equals(name))
          .map(HandlerMethod::getMethod).distinct().count();
      operation.setOperationId(sharing > 1
          ? name + handler.getBeanType().getSimpleName().replaceFirst("Controller$", "") : name);
      return operation;
    };
  }

  @Bean
  OpenApiCustomizer answerSchemas(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mapping) {
    return new AnswerSchemas(mapping);
  }

  @Bean
  OpenApiCustomizer commonAnswers(AccessRules rules) {
    return openApi -> {
      // here rather than on the OpenAPI bean: springdoc drops the bean's schemas that no operation refers to
      openApi.getComponents().addSchemas(PROBLEM, problemSchema());
      openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> answers(rules, path,
          method.name(), operation)));
      declareTags(openApi);
    };
  }

  /** Every tag an operation names is declared: the controllers' {@code @Tag}s as written, a module's with its name. */
  private static void declareTags(OpenAPI openApi) {
    Map<String, io.swagger.v3.oas.models.tags.Tag> tags = new java.util.TreeMap<>();
    if (openApi.getTags() != null) {
      openApi.getTags().forEach(tag -> tags.put(tag.getName(), tag));
    }
    openApi.getPaths().values().forEach(item -> item.readOperations().forEach(op -> op.getTags().forEach(name ->
        tags.computeIfAbsent(name, n -> new io.swagger.v3.oas.models.tags.Tag().name(n)
            .description("The operations of the " + n + " module (docs/architecture.md)")))));
    openApi.setTags(new ArrayList<>(tags.values()));
  }

  private static void answers(AccessRules rules, String path, String method, Operation operation) {
    boolean guarded = path.startsWith("/api/") || path.startsWith("/v1/");
    ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
    operation.setResponses(responses);
    if (guarded) {
      Optional<AccessRules.Permission> permission = rules.permissionFor(method, path);
      operation.setSecurity(security(permission));
      permission.ifPresent(p -> operation.setDescription(join(operation.getDescription(),
          "Access: " + p.needs().substring("needs ".length()) + " (docs/access.md).")));
      answer(responses, HttpStatus.BAD_REQUEST, "Malformed request: path, parameters or body");
      answer(responses, HttpStatus.UNAUTHORIZED, "No or unknown credentials");
      responses.get("401").addHeaderObject("WWW-Authenticate",
          new Header().description("The schemes this path takes").schema(new StringSchema()));
      answer(responses, HttpStatus.FORBIDDEN, "The credentials do not grant this operation; `detail` names what would");
      // the Segment API reads any content type (analytics.js posts text/plain); the rest bind JSON only
      if (operation.getRequestBody() != null && !path.startsWith("/v1/")) {
        answer(responses, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "The body is not sent as application/json");
      }
    } else {
      // public: a signed token in the path is the credential
      operation.setSecurity(List.of());
      operation.setDescription(join(operation.getDescription(),
          "Access: public; the signed token in the path is the credential (docs/access.md)."));
    }
    answer(responses, HttpStatus.INTERNAL_SERVER_ERROR, "Unexpected failure; `detail` quotes an incident id for support");
    answer(responses, HttpStatus.SERVICE_UNAVAILABLE, "The database cannot be reached; try again after `Retry-After` seconds");
    responses.get("503").addHeaderObject("Retry-After",
        new Header().description("Seconds to wait before trying again").schema(new IntegerSchema()));
    responses.forEach((code, response) -> {
      if (code.startsWith("4") || code.startsWith("5")) {
        response.setContent(problemContent());
      }
    });
  }

  private static List<SecurityRequirement> security(Optional<AccessRules.Permission> permission) {
    // an operation no rule covers is refused to everybody; it still says which credentials the API takes
    AccessRules.Permission p = permission.orElse(new AccessRules.Permission(AccessRules.ADMIN_SCOPE, java.util.Set.of(), true, false));
    List<SecurityRequirement> ways = new ArrayList<>();
    if (p.writeKey()) {
      ways.add(new SecurityRequirement().addList(WRITE_KEY));
    }
    if (p.forAdmins() || p.scope() != null) {
      ways.add(new SecurityRequirement().addList(API_KEY));
    }
    if (p.forAdmins() || !p.groups().isEmpty()) {
      ways.add(new SecurityRequirement().addList(CAMUNDA_USER));
    }
    return ways;
  }

  private static void answer(ApiResponses responses, HttpStatus status, String description) {
    String code = Integer.toString(status.value());
    if (!responses.containsKey(code)) {
      responses.addApiResponse(code, new ApiResponse().description(description));
    }
  }

  private static Content problemContent() {
    return new Content().addMediaType(PROBLEM_JSON,
        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
  }

  /** RFC 9457, as {@link ApiProblem} and the filters write it. */
  @SuppressWarnings("rawtypes")
  private static Schema problemSchema() {
    Map<String, Schema> properties = new java.util.LinkedHashMap<>();
    properties.put("type", new StringSchema().format("uri").description("What went wrong, stable: "
        + ApiProblem.TYPE_BASE + "<kind>").example(ApiProblem.TYPE_BASE + "profile-not-found"));
    properties.put("title", new StringSchema().description("A short summary of the kind").example("Profile not found"));
    properties.put("status", new IntegerSchema().description("The HTTP status").example(404));
    properties.put("detail", new StringSchema().description("What happened to this request, written for the caller")
        .example("No profile with id p-1"));
    properties.put("instance", new StringSchema().format("uri-reference").description("The request path"));
    return new ObjectSchema().description("An RFC 9457 problem: every error answer of the API").properties(properties)
        .required(List.of("type", "title", "status"));
  }

  private static boolean hasOwnTags(io.swagger.v3.oas.annotations.Operation annotation) {
    return annotation != null && annotation.tags().length > 0;
  }

  /** {@code dev.overture.delivery.internal.X} belongs to the module {@code delivery}, named in its package-info. */
  static String moduleName(Class<?> type) {
    String rest = type.getPackageName().startsWith(MODULES) ? type.getPackageName().substring(MODULES.length()) : "";
    String module = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
    try {
      ApplicationModule declared = Class.forName(MODULES + module + ".package-info").getAnnotation(ApplicationModule.class);
      if (declared != null && !declared.displayName().isBlank()) {
        return declared.displayName();
      }
    } catch (ClassNotFoundException e) {
      // a package without package-info: its own name serves
    }
    return module.isEmpty() ? type.getSimpleName() : Character.toUpperCase(module.charAt(0)) + module.substring(1);
  }

  private static String join(String description, String line) {
    return description == null || description.isBlank() ? line : description + "\n\n" + line;
  }
}
