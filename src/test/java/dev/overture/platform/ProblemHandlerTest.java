package dev.overture.platform;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** How problems leave the API: status, problem+json, and the headers a problem carries. */
class ProblemHandlerTest {

  @RestController
  static class Busy {
    @GetMapping("/busy")
    String busy() {
      throw new Unavailable("profile-busy", "Profile busy", "try again", java.time.Duration.ofSeconds(1));
    }
  }

  @RestController
  static class DatabaseGone {
    @GetMapping("/pool")
    String pool() {
      throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
          new SQLTransientConnectionException("overture - Connection is not available, request timed out after 2000ms"));
    }

    @GetMapping("/engine")
    String engine() {
      throw new ProcessEngineException("Process engine persistence exception",
          new RuntimeException(new SQLNonTransientConnectionException("Socket fail to connect to 127.0.0.1")));
    }

    @GetMapping("/bug")
    String bug() {
      throw new ProcessEngineException("Unknown property used in expression");
    }
  }

  @RestController
  static class Domain {
    @GetMapping("/missing")
    String missing() {
      throw new NotFound("journey", "No journey with key 'x' is deployed");
    }

    @GetMapping("/taken")
    String taken() {
      throw new Conflict("campaign-key-taken", "A campaign with key 'x' already exists");
    }

    @GetMapping("/unparsable")
    String unparsable() {
      throw new Unprocessable("invalid-segment-expression", "not FEEL").with("line", 1).with("column", 7);
    }

    @GetMapping("/bad")
    String bad() {
      throw new InvalidInput("invalid-template", "A template does not compile");
    }

    @GetMapping("/big")
    String big() {
      throw new TooLarge("batch-too-large", "Batch too large", "A batch holds at most 2 events; this one has 3");
    }
  }

  @RestController
  static class Validated {
    record Body(@ProblemType("invalid-name") @NotBlank(message = "is required") @Size(max = 5, message = "is too long") String name,
        @Size(max = 3, message = "must have at most 3 characters") String note) {}

    @PostMapping("/bodies")
    String body(@Valid @RequestBody Body body) {
      return "ok";
    }

    @GetMapping("/pages")
    String page(@ProblemType("invalid-limit") @Max(value = 10, message = "must be at most 10") @RequestParam int limit) {
      return "ok";
    }

    @GetMapping("/checked")
    String checked() {
      try (ValidatorFactory factory = Validation.buildDefaultValidatorFactory()) {
        throw new ConstraintViolationException(factory.getValidator().validate(new Body("", "long")));
      }
    }

    @GetMapping("/notes")
    String note(@Size(max = 3, message = "must have at most 3 characters") @RequestParam String note) {
      return "ok";
    }
  }

  @Test
  void aBrokenConstraintIsA400NamingTheFieldTypedByItsProblemType() throws Exception {
    MockMvc mvc = MockMvcBuilders.standaloneSetup(new Validated()).setControllerAdvice(new ProblemHandler()).build();
    mvc.perform(post("/bodies").contentType(MediaType.APPLICATION_JSON).content("{\"name\": \" \", \"note\": \"long\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.type").value(ApiProblem.TYPE_BASE + "invalid-name"))
        .andExpect(jsonPath("$.title").value("Bad request"))
        .andExpect(jsonPath("$.detail").value("name is required; note must have at most 3 characters"));
    mvc.perform(post("/bodies").contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"ada\", \"note\": \"long\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.type").value(ApiProblem.TYPE_BASE + "invalid-request"))
        .andExpect(jsonPath("$.detail").value("note must have at most 3 characters"));
    mvc.perform(post("/bodies").contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"ada\"}"))
        .andExpect(status().isOk());
    mvc.perform(get("/pages").param("limit", "11"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.type").value(ApiProblem.TYPE_BASE + "invalid-limit"))
        .andExpect(jsonPath("$.detail").value("limit must be at most 10"));
    mvc.perform(get("/notes").param("note", "long"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.type").value(ApiProblem.TYPE_BASE + "invalid-request"))
        .andExpect(jsonPath("$.detail").value("note must have at most 3 characters"));
    mvc.perform(get("/checked"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.type").value(ApiProblem.TYPE_BASE + "invalid-name"))
        .andExpect(jsonPath("$.detail").value("name is required; note must have at most 3 characters"));
  }

  @Test
  void eachKindOfDomainFailureHasItsStatusAndKeepsItsTypeTitleDetailAndFacts() throws Exception {
    MockMvc mvc = MockMvcBuilders.standaloneSetup(new Domain()).setControllerAdvice(new ProblemHandler()).build();
    mvc.perform(get("/missing"))
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.type").value(ApiProblem.TYPE_BASE + "journey-not-found"))
        .andExpect(jsonPath("$.title").value("Journey not found"))
        .andExpect(jsonPath("$.detail").value("No journey with key 'x' is deployed"));
    mvc.perform(get("/taken"))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.type").value(ApiProblem.TYPE_BASE + "campaign-key-taken"))
        .andExpect(jsonPath("$.title").value("Conflict"));
    mvc.perform(get("/unparsable"))
        .andExpect(status().isUnprocessableEntity())
        .andExpect(jsonPath("$.title").value("Request cannot be processed"))
        .andExpect(jsonPath("$.line").value(1))
        .andExpect(jsonPath("$.column").value(7));
    mvc.perform(get("/bad"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.type").value(ApiProblem.TYPE_BASE + "invalid-template"))
        .andExpect(jsonPath("$.title").value("Bad request"));
    mvc.perform(get("/big"))
        .andExpect(status().isPayloadTooLarge())
        .andExpect(jsonPath("$.type").value(ApiProblem.TYPE_BASE + "batch-too-large"))
        .andExpect(jsonPath("$.title").value("Batch too large"));
  }

  @Test
  void aConnectionFailureFromThePoolOrWrappedByTheEngineIs503WithRetryAfter() throws Exception {
    MockMvc mvc = MockMvcBuilders.standaloneSetup(new DatabaseGone()).setControllerAdvice(new ProblemHandler()).build();
    for (String path : new String[] {"/pool", "/engine"}) {
      mvc.perform(get(path))
          .andExpect(status().isServiceUnavailable())
          .andExpect(header().string("Retry-After", "5"))
          .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
          .andExpect(jsonPath("$.type", Matchers.endsWith("/database-unavailable")));
    }
  }

  @Test
  void anEngineFailureThatIsNoOutageStays500() throws Exception {
    MockMvc mvc = MockMvcBuilders.standaloneSetup(new DatabaseGone()).setControllerAdvice(new ProblemHandler()).build();
    mvc.perform(get("/bug"))
        .andExpect(status().isInternalServerError())
        .andExpect(header().doesNotExist("Retry-After"))
        .andExpect(jsonPath("$.type", Matchers.endsWith("/internal-error")));
  }

  @Test
  void aProblemsHeadersSuchAsRetryAfterReachTheClient() throws Exception {
    MockMvc mvc = MockMvcBuilders.standaloneSetup(new Busy()).setControllerAdvice(new ProblemHandler()).build();
    mvc.perform(get("/busy"))
        .andExpect(status().isServiceUnavailable())
        .andExpect(header().string("Retry-After", "1"))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.type", Matchers.endsWith("/profile-busy")));
  }
}
