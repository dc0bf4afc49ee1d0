package dev.overture.delivery;

import java.util.Map;

/**
 * One "Call an API" step as the diagram configures it: the allowed endpoint's name, the HTTP method, the path under
 * the endpoint's base URL and the body (Mustache over the profile, the event and the named journey variables, as
 * messages are), and which JSON pointers of the answer become which journey variables.
 */
public record ApiCall(String endpoint, String method, String path, String body, Map<String, String> responseMapping) {

  public ApiCall {
    method = method == null || method.isBlank() ? "GET" : method.trim().toUpperCase(java.util.Locale.ROOT);
    path = path == null ? "" : path.trim();
    responseMapping = responseMapping == null ? Map.of() : Map.copyOf(responseMapping);
  }
}
