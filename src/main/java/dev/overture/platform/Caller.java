package dev.overture.platform;

import jakarta.servlet.http.HttpServletRequest;

/** Who made an API request, as authenticated by {@link ApiAuthenticationFilter}: "api-key:name" or "user:id". */
public final class Caller {

  private Caller() {}

  public static String of(HttpServletRequest request) {
    Object principal = request.getAttribute(ApiAuthenticationFilter.PRINCIPAL);
    return principal == null ? "anonymous" : principal.toString();
  }
}
