package dev.overture.platform;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.net.URI;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure of our controllers into RFC 9457 problem details; never a stack trace.
 * Unexpected errors are logged with an id that the response carries, so support can find them.
 */
@RestControllerAdvice(basePackages = "dev.overture")
class ProblemHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String detail = "The request body is not valid JSON for this endpoint";
    Throwable cause = ex.getCause();
    if (cause instanceof InvalidFormatException ife && !ife.getPath().isEmpty()) {
      detail = "Field '" + path(ife) + "' has an invalid value: " + ife.getValue();
    } else if (cause instanceof MismatchedInputException mie && !mie.getPath().isEmpty()) {
      detail = "Field '" + path(mie) + "' has the wrong type";
    } else if (ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")) {
      detail = "A JSON request body is required";
    }
    return problem(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request", detail);
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String detail = ex.getBindingResult().getFieldErrors().stream()
        .map(e -> e.getField() + " " + e.getDefaultMessage())
        .sorted()
        .collect(Collectors.joining("; "));
    return problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
  }

  @ExceptionHandler({DataAccessResourceFailureException.class, CannotCreateTransactionException.class})
  ResponseEntity<Object> databaseUnavailable(Exception ex) {
    log.warn("The database cannot be reached: {}", ex.toString());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, DatabaseOutage.retryAfterSeconds())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(DatabaseOutage.problem());
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Object> unexpected(Exception ex) {
    // Camunda and the event flow wrap the connection failure in exceptions of their own
    if (DatabaseOutage.isCause(ex)) {
      return databaseUnavailable(ex);
    }
    String incident = java.util.UUID.randomUUID().toString();
    log.error("Unexpected error, incident {}", incident, ex);
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
        "The request failed unexpectedly and was not completed. Quote incident " + incident + " to support.");
  }

  private static String path(MismatchedInputException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  private static ResponseEntity<Object> problem(HttpStatus status, String type, String title, String detail) {
    ProblemDetail pd = ProblemDetail.forStatusAndDetail(status, detail);
    pd.setType(URI.create(ApiProblem.TYPE_BASE + type));
    pd.setTitle(title);
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(pd);
  }
}
