package dev.overture.platform;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** How problems leave the API: status, problem+json, and the headers a problem carries. */
class ProblemHandlerTest {

  @RestController
  static class Busy {
    @GetMapping("/busy")
    String busy() {
      ApiProblem p = new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "profile-busy", "Profile busy", "try again");
      p.getHeaders().set("Retry-After", "1");
      throw p;
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
