package dev.overture.platform;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An expected API failure, rendered as {@code application/problem+json} with a stable {@code type}.
 * Modules throw it with a message written for the caller.
 */
public class ApiProblem extends ErrorResponseException {

  public static final String TYPE_BASE = "https://overture.dev/problems/";

  public ApiProblem(HttpStatus status, String type, String title, String detail) {
    super(status, problem(status, type, title, detail), null);
  }

  private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
    ProblemDetail pd = ProblemDetail.forStatusAndDetail(status, detail);
    pd.setType(URI.create(TYPE_BASE + type));
    pd.setTitle(title);
    return pd;
  }

  public static ApiProblem notFound(String what, String detail) {
    return new ApiProblem(HttpStatus.NOT_FOUND, what + "-not-found", capitalize(what) + " not found", detail);
  }

  public static ApiProblem unprocessable(String type, String detail) {
    return new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, type, "Request cannot be processed", detail);
  }

  public static ApiProblem conflict(String type, String detail) {
    return new ApiProblem(HttpStatus.CONFLICT, type, "Conflict", detail);
  }

  public static ApiProblem badRequest(String type, String detail) {
    return new ApiProblem(HttpStatus.BAD_REQUEST, type, "Bad request", detail);
  }

  /** Writes a problem from a servlet filter, which runs before Spring MVC and its problem handling. */
  public static void write(HttpServletResponse response, int status, String type, String title, String detail,
      String instance) throws IOException {
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write("""
        {"type":"%s%s","title":"%s","status":%d,"detail":"%s","instance":"%s"}"""
        .formatted(TYPE_BASE, type, title, status, json(detail), json(instance)));
  }

  private static String json(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
