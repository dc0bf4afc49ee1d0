package dev.overture.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code /api/**}: a system presents {@code Authorization: Bearer <api key>}, a person the
 * HTTP Basic credentials of their Camunda user. Anything else is a 401 problem.
 */
class ApiAuthenticationFilter extends OncePerRequestFilter {

  static final String PRINCIPAL = "overture.principal";

  private final ApiKeys apiKeys;
  private final IdentityService identityService;

  ApiAuthenticationFilter(ApiKeys apiKeys, IdentityService identityService) {
    this.apiKeys = apiKeys;
    this.identityService = identityService;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<String> principal = authenticate(request.getHeader("Authorization"));
    if (principal.isEmpty()) {
      response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
      response.setHeader("WWW-Authenticate", "Bearer realm=\"overture\", Basic realm=\"overture\"");
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      response.getWriter().write("""
          {"type":"%sunauthenticated","title":"Unauthenticated","status":401,\
          "detail":"Send an API key as 'Authorization: Bearer <key>' or a Camunda user with HTTP Basic","instance":"%s"}"""
          .formatted(ApiProblem.TYPE_BASE, request.getRequestURI().replace("\"", "")));
      return;
    }
    request.setAttribute(PRINCIPAL, principal.get());
    chain.doFilter(request, response);
  }

  private Optional<String> authenticate(String header) {
    if (header == null) {
      return Optional.empty();
    }
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String key = header.substring(7).trim();
      return key.isEmpty() ? Optional.empty() : apiKeys.authenticate(key).map(name -> "api-key:" + name);
    }
    if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        return Optional.empty();
      }
      String user = decoded.substring(0, colon);
      return identityService.checkPassword(user, decoded.substring(colon + 1)) ? Optional.of("user:" + user) : Optional.empty();
    }
    return Optional.empty();
  }
}
