package dev.overture.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The outermost filter of the API: a request that failed because the database cannot be reached, in a
 * filter (authentication looks up keys and users) or in a controller, answers {@code 503} problem+json
 * with {@code Retry-After} instead of Tomcat's or Spring Boot's plain 500.
 */
final class DatabaseOutageFilter extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(DatabaseOutageFilter.class);

  private final ObjectMapper json;

  DatabaseOutageFilter(ObjectMapper json) {
    this.json = json;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    try {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException e) {
      if (!DatabaseOutage.isCause(e) || response.isCommitted()) {
        throw e;
      }
      log.warn("{} {}: the database cannot be reached ({})", request.getMethod(), request.getRequestURI(), e.toString());
      ProblemDetail problem = DatabaseOutage.problem();
      try {
        problem.setInstance(URI.create(request.getRequestURI()));
      } catch (IllegalArgumentException notAUri) {
        // the problem goes without its instance
      }
      // headers stay (CORS for the Segment endpoints); whatever body was begun goes
      response.resetBuffer();
      response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
      response.setHeader(HttpHeaders.RETRY_AFTER, DatabaseOutage.retryAfterSeconds());
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      response.setCharacterEncoding("UTF-8");
      json.writeValue(response.getWriter(), problem);
    }
  }
}
