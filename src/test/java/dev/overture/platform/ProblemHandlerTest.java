package dev.overture.platform;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
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
