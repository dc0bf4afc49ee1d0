package dev.overture.platform;

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

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
