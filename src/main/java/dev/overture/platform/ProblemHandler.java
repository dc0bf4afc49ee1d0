package dev.overture.platform;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import java.lang.reflect.Field;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.util.ReflectionUtils;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
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
    Object target = ex.getBindingResult().getTarget();
    return invalid(ex.getBindingResult().getFieldErrors().stream()
        .map(e -> new Violation(e.getField(), e.getDefaultMessage(), declaredType(target, e.getField())))
        .toList());
  }

  /** Constraints on a handler's parameters (a header, a query parameter), and on its body when it has any. */
  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    List<Violation> violations = new ArrayList<>();
    for (ParameterValidationResult result : ex.getParameterValidationResults()) {
      if (result instanceof ParameterErrors errors) {
        errors.getFieldErrors().forEach(e -> violations.add(
            new Violation(e.getField(), e.getDefaultMessage(), declaredType(errors.getArgument(), e.getField()))));
        continue;
      }
      MethodParameter parameter = result.getMethodParameter();
      ProblemType type = parameter.getParameterAnnotation(ProblemType.class);
      result.getResolvableErrors().forEach(e -> violations.add(
          new Violation(name(parameter), e.getDefaultMessage(), type == null ? null : type.value())));
    }
    return invalid(violations);
  }

  @ExceptionHandler(ConstraintViolationException.class)
  ResponseEntity<Object> constraintViolated(ConstraintViolationException ex) {
    return invalid(ex.getConstraintViolations().stream()
        .map(v -> {
          String field = lastNode(v.getPropertyPath());
          return new Violation(field, v.getMessage(), declaredType(v.getLeafBean(), field));
        })
        .toList());
  }

  /** A broken constraint: the field as the client named it, what is wrong with it, and its declared problem type. */
  private record Violation(String field, String message, String type) {}

  /** One problem for all broken constraints, typed by the first field (by name) that declares a type. */
  private static ResponseEntity<Object> invalid(List<Violation> violations) {
    List<Violation> sorted = violations.stream().sorted(Comparator.comparing(Violation::field)).toList();
    String type = sorted.stream().map(Violation::type).filter(Objects::nonNull).findFirst().orElse("invalid-request");
    String detail = sorted.stream().map(v -> v.field() + " " + v.message()).distinct().collect(Collectors.joining("; "));
    return problem(HttpStatus.BAD_REQUEST, type, "Bad request", detail);
  }

  /** The {@link ProblemType} on the field at this path ({@code content.subject}); none inside a list or map. */
  private static String declaredType(Object target, String path) {
    Class<?> type = target == null ? null : target.getClass();
    ProblemType found = null;
    for (String segment : path.split("\\.")) {
      if (type == null) {
        return null;
      }
      String name = segment.replaceAll("\\[.*]$", "");
      Field field = ReflectionUtils.findField(type, name);
      if (field == null) {
        return null;
      }
      found = field.getAnnotation(ProblemType.class);
      type = field.getType();
    }
    return found == null ? null : found.value();
  }

  private static String name(MethodParameter parameter) {
    RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
    if (header != null && !header.name().isEmpty()) {
      return header.name();
    }
    RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
    if (param != null && !param.name().isEmpty()) {
      return param.name();
    }
    return String.valueOf(parameter.getParameterName());
  }

  private static String lastNode(Path path) {
    String name = null;
    for (Path.Node node : path) {
      name = node.getName();
    }
    return String.valueOf(name);
  }

  @ExceptionHandler(DomainException.class)
  ResponseEntity<Object> domain(DomainException ex) {
    ResponseEntity<Object> response = problem(status(ex), ex.type(), ex.title(), ex.getMessage());
    ex.properties().forEach(((ProblemDetail) response.getBody())::setProperty);
    return ex instanceof Unavailable u
        ? ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
            .header(HttpHeaders.RETRY_AFTER, Long.toString(u.retryAfter().toSeconds())).body(response.getBody())
        : response;
  }

  /** The one place where a domain failure's kind becomes an HTTP status. */
  static HttpStatus status(DomainException ex) {
    if (ex instanceof NotFound) {
      return HttpStatus.NOT_FOUND;
    }
    if (ex instanceof Conflict) {
      return HttpStatus.CONFLICT;
    }
    if (ex instanceof Unprocessable) {
      return HttpStatus.UNPROCESSABLE_ENTITY;
    }
    if (ex instanceof TooLarge) {
      return HttpStatus.PAYLOAD_TOO_LARGE;
    }
    if (ex instanceof Unavailable) {
      return HttpStatus.SERVICE_UNAVAILABLE;
    }
    return HttpStatus.BAD_REQUEST;
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
