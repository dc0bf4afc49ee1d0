package dev.overture.platform;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * A path that an access rule covers but no handler takes ({@code POST /v1/unknown}) is a 404 problem like the rest of
 * the API. No controller of ours raised it, so {@link ProblemHandler}, which answers for our controllers only, does
 * not see it, and Spring's default answer would be its own JSON error.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class UnmappedPaths {

  @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
  ResponseEntity<ProblemDetail> notFound(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    ProblemDetail pd = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "The API has no operation at " + path);
    pd.setType(URI.create(ApiProblem.TYPE_BASE + "not-found"));
    pd.setTitle("Not found");
    return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(pd);
  }
}
