package dev.overture.platform;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;

/** Who made an API request, as authenticated by {@link ApiAuthenticationFilter}: "api-key:name", "user:id" or "write-key:name". */
public final class Caller {

  private Caller() {}

  public static String of(HttpServletRequest request) {
    Object principal = request.getAttribute(ApiAuthenticationFilter.PRINCIPAL);
    return principal == null ? "anonymous" : principal.toString();
  }

  /** Marks the request as sent with a Segment write key (checked by the ingestion filter on {@code /v1/*}). */
  public static void writeKey(HttpServletRequest request, String name) {
    request.setAttribute(ApiAuthenticationFilter.PRINCIPAL, WRITE_KEY + name);
  }

  static final String WRITE_KEY = "write-key:";

  /** What a caller may draw on: a person's Camunda groups, an API key's scopes, or being a Segment write key. */
  record Rights(String principal, Set<String> groups, Set<String> scopes, boolean writeKey) {

    static Rights person(String user, Set<String> groups) {
      return new Rights("user:" + user, groups, Set.of(), false);
    }

    static Rights apiKey(String name, Set<String> scopes) {
      return new Rights("api-key:" + name, Set.of(), scopes, false);
    }

    static Rights writeKey(String name) {
      return new Rights(WRITE_KEY + name, Set.of(), Set.of(), true);
    }
  }
}
