package dev.overture.delivery.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.delivery.ActionProperties;
import dev.overture.delivery.ApiCall;
import dev.overture.delivery.ApiCallOutcome;
import dev.overture.delivery.MessageContext;
import dev.overture.delivery.MissingTemplateValue;
import dev.overture.platform.Backoff;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Makes one try of an {@link ApiCall} on an allowed endpoint: the path and body rendered from the message context, the
 * endpoint's headers, its timeout and rate limit, the answer sorted as {@link HttpProvider} sorts a provider's (5xx,
 * 408 and 429 are worth a retry, after the answer's {@code Retry-After} or the backoff; another 4xx is not) and, on 2xx,
 * the response mapping applied. Holds no transaction: it is called between the worker's short ones.
 */
@Component
public class ApiRequests {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ActionProperties props;
  private final RateLimits rateLimits;
  private final ObjectMapper json;
  private final MeterRegistry meters;

  ApiRequests(ActionProperties props, RateLimits rateLimits, ObjectMapper json, MeterRegistry meters) {
    this.props = props;
    this.rateLimits = rateLimits;
    this.json = json;
    this.meters = meters;
  }

  /** One try, attempt 1 being the first; {@code idempotencyKey} is the same for every try of the same step. */
  public ApiCallOutcome send(ApiCall call, MessageContext context, String idempotencyKey, int attempt) {
    ActionProperties.Endpoint endpoint = props.endpoints().get(call.endpoint());
    if (endpoint == null || endpoint.baseUrl() == null) {
      return new ApiCallOutcome.Misconfigured(ApiEndpoints.unknown(call.endpoint(), props));
    }
    ApiCallOutcome outcome = attempt(call, endpoint, context, idempotencyKey, attempt);
    String tag = outcome instanceof ApiCallOutcome.Answered ? "ok" : outcome instanceof ApiCallOutcome.TryAgain ? "retry" : "failed";
    Counter.builder("overture.api.calls").description("Tries of the journeys' API calls by endpoint and outcome (ok, retry, failed)")
        .tag("endpoint", call.endpoint()).tag("outcome", tag).register(meters).increment();
    return outcome;
  }

  private ApiCallOutcome attempt(ApiCall call, ActionProperties.Endpoint endpoint, MessageContext context, String key, int attempt) {
    HttpRequest.Builder request;
    try {
      Map<String, Object> root = Templates.root(context, null, Templates.formats(context, null, null, null));
      String base = endpoint.baseUrl().replaceAll("/+$", "");
      request = HttpRequest.newBuilder(URI.create(base + ApiTemplates.path(call.path(), root))).timeout(endpoint.timeout());
      if (call.body() == null || call.body().isBlank()) {
        request.method(call.method(), HttpRequest.BodyPublishers.noBody());
      } else {
        String body = ApiTemplates.body(call.body(), root);
        json.readTree(body);
        request.method(call.method(), HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .header("Content-Type", "application/json");
      }
    } catch (MissingTemplateValue e) {
      return new ApiCallOutcome.Failed(e.getMessage());
    } catch (JsonProcessingException e) {
      return new ApiCallOutcome.Failed("the body template does not render JSON: " + e.getOriginalMessage());
    }
    request.header("Accept", "application/json").header("Idempotency-Key", key);
    endpoint.headers().forEach(request::setHeader);
    if (!rateLimits.acquire(ApiEndpoints.bucket(call.endpoint()))) {
      return new ApiCallOutcome.TryAgain(Duration.ofSeconds(1), call.endpoint() + " is at its rate limit", false);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new ApiCallOutcome.TryAgain(backoff(attempt), call.endpoint() + " did not answer: " + e, true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ApiCallOutcome.TryAgain(backoff(attempt), call.endpoint() + " call interrupted", true);
    }
    return answer(call, response, attempt);
  }

  private ApiCallOutcome answer(ApiCall call, HttpResponse<String> response, int attempt) {
    int status = response.statusCode();
    String body = response.body() == null ? "" : response.body();
    String said = call.endpoint() + " answered " + status + (body.isBlank() ? "" : ": " + body.substring(0, Math.min(300, body.length())));
    if (status >= 500 || status == 408 || status == 429) {
      Duration after = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null))
          .map(d -> d.compareTo(props.retryMax()) > 0 ? props.retryMax() : d).orElseGet(() -> backoff(attempt));
      return new ApiCallOutcome.TryAgain(after, said, true);
    }
    if (status < 200 || status >= 300) {
      return new ApiCallOutcome.Failed(said);
    }
    if (call.responseMapping().isEmpty()) {
      return new ApiCallOutcome.Answered(status, Map.of());
    }
    JsonNode answer;
    try {
      answer = json.readTree(body);
    } catch (JsonProcessingException e) {
      return new ApiCallOutcome.Failed(call.endpoint() + " answered " + status + " with no JSON: " + e.getOriginalMessage());
    }
    Map<String, Object> variables = new HashMap<>();
    call.responseMapping().forEach((name, pointer) -> variables.put(name, value(answer == null ? null : answer.at(pointer))));
    return new ApiCallOutcome.Answered(status, variables);
  }

  /** A JSON value as a process variable: text, whole number, decimal, boolean or null; an object or array as its JSON. */
  private static Object value(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.toString();
  }

  private Duration backoff(int attempt) {
    return new Backoff(props.retryBase(), props.retryMax()).next(attempt);
  }
}
