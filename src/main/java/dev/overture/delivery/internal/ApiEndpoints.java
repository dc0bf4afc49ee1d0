package dev.overture.delivery.internal;

import com.samskivert.mustache.MustacheException;
import dev.overture.delivery.ActionProperties;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a "Call an API" step may name, checked when a journey is deployed: an endpoint of the allow-list
 * ({@code overture.actions.endpoints}), a method, and a path that stays under the endpoint's base URL (values put
 * into it are percent-encoded when it is rendered, so only the literal text could leave it).
 */
public final class ApiEndpoints {

  static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  private ApiEndpoints() {}

  /** The step's problem in words naming what to configure or change; empty when it may be deployed. */
  public static Optional<String> problem(String endpoint, String method, String path, ActionProperties props) {
    if (endpoint == null || endpoint.isBlank()) {
      return Optional.of("a Call an API step needs an endpoint, the name of one in overture.actions.endpoints");
    }
    if (props.endpoints().get(endpoint.trim()) == null || props.endpoints().get(endpoint.trim()).baseUrl() == null) {
      return Optional.of(unknown(endpoint.trim(), props));
    }
    if (method != null && !method.isBlank() && !METHODS.contains(method.trim().toUpperCase(java.util.Locale.ROOT))) {
      return Optional.of("method '" + method + "' is none of " + new TreeSet<>(METHODS));
    }
    String p = path == null ? "" : path.trim();
    if (!p.isEmpty() && (!p.startsWith("/") || p.startsWith("//") || p.contains("..") || p.contains("\\") || p.contains("://")
        || p.contains("@") || p.contains("#"))) {
      return Optional.of("path '" + p + "' must start with / and stay under the endpoint's base URL (no //, .., \\, @, # or scheme)");
    }
    try {
      ApiTemplates.compile(p);
    } catch (MustacheException e) {
      return Optional.of("path '" + p + "' is no template: " + e.getMessage());
    }
    return Optional.empty();
  }

  static String unknown(String endpoint, ActionProperties props) {
    return "endpoint '" + endpoint + "' is not in the allow-list: configure overture.actions.endpoints." + endpoint
        + ".base-url on the server" + (props.endpoints().isEmpty() ? " (none is configured)"
        : " or use one of " + new TreeSet<>(props.endpoints().keySet()));
  }

  /** The endpoint's rate-limit bucket among the channels' ({@link RateLimits}). */
  static String bucket(String endpoint) {
    return "api:" + endpoint;
  }
}
