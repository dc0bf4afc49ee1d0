package dev.overture.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.webapp.impl.security.auth.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;

/**
 * Guards {@code /api/**}, {@code /v1/**} and the actuator's endpoints other than health. Who: a system presents
 * {@code Authorization: Bearer <api key>}, a person the HTTP Basic credentials of their Camunda user, a Segment
 * SDK its write key (checked before this filter on {@code /v1/*}); anything else is a 401 problem. A person signed
 * in to the Camunda webapps may also read {@code /api/journeys/**} with that session (the Cockpit analytics plugin
 * does), reads only: the session cookie rides along on any request the browser makes, so a write needs explicit
 * credentials, except a journey migration that carries the webapps' own CSRF token (the Cockpit versions tab). What:
 * {@link AccessRules} names the permission the request needs; a caller without it gets a 403 problem, a request no
 * rule covers a 404 (no rule at that path) or 405 (rules for other methods) problem.
 */
class ApiAuthenticationFilter extends OncePerRequestFilter {

  static final String PRINCIPAL = "overture.principal";

  private final ApiKeys apiKeys;
  private final IdentityService identityService;
  private final AccessRules rules;
  private final ObjectProvider<WriteKeyLookup> writeKeys;
  private final String engineName;

  ApiAuthenticationFilter(ApiKeys apiKeys, IdentityService identityService, AccessRules rules,
      ObjectProvider<WriteKeyLookup> writeKeys, String engineName) {
    this.apiKeys = apiKeys;
    this.identityService = identityService;
    this.rules = rules;
    this.writeKeys = writeKeys;
    this.engineName = engineName;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = pathOf(request);
    if (!path.equals(UriUtils.decode(request.getRequestURI().substring(request.getContextPath().length()), StandardCharsets.UTF_8))) {
      // "/api/segments/../keys" is "/api/keys" to the servlet container; the rules are matched on one spelling only
      ApiProblem.write(response, 400, "malformed-path", "Malformed path",
          "The path must be written without '.', '..', ';' or empty segments", path);
      return;
    }
    boolean segmentApi = path.startsWith("/v1/");
    Optional<Caller.Rights> caller = authenticate(request).or(() -> webappSession(request, path));
    if (caller.isEmpty()) {
      response.setHeader("WWW-Authenticate", segmentApi ? "Basic realm=\"overture-segment\""
          : "Bearer realm=\"overture\", Basic realm=\"overture\"");
      ApiProblem.write(response, 401, "unauthenticated", "Unauthenticated", segmentApi
          ? "Send the Segment write key as the HTTP Basic user name, or an API key with scope events:write as 'Authorization: Bearer <key>'"
          : actuator(path) ? "Send an API key with scope metrics as 'Authorization: Bearer <key>', or a Camunda user of group camunda-admin with HTTP Basic"
          : "Send an API key as 'Authorization: Bearer <key>' or a Camunda user with HTTP Basic", path);
      return;
    }
    request.setAttribute(PRINCIPAL, caller.get().principal());
    Optional<AccessRules.Permission> needed = rules.permissionFor(request.getMethod(), path);
    if (needed.isEmpty()) {
      // every operation has a rule, so a path without one is not the API's (a handler without a rule stays closed)
      Set<String> methods = rules.methodsAt(path);
      if (methods.isEmpty()) {
        ApiProblem.write(response, 404, "not-found", "Not found", "The API has no operation at " + path, path);
      } else {
        response.setHeader("Allow", String.join(", ", methods));
        ApiProblem.write(response, 405, "method-not-allowed", "Method not allowed",
            path + " takes " + String.join(", ", methods) + ", not " + request.getMethod(), path);
      }
      return;
    }
    if (!AccessRules.grants(needed.get(), caller.get())) {
      String detail = request.getMethod() + " " + path + " " + needed.get().needs();
      ApiProblem.write(response, 403, "forbidden", "Forbidden",
          caller.get().writeKey() && !segmentApi ? detail + "; a Segment write key reaches /v1/* only" : detail, path);
      return;
    }
    chain.doFilter(request, response);
  }

  /** Health and its groups (liveness, readiness) stay open: load balancers and the container's check poll them. */
  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = pathOf(request);
    return path.equals(HEALTH) || path.startsWith(HEALTH + "/");
  }

  private static final String HEALTH = AccessRules.ACTUATOR + "/health";

  private static String pathOf(HttpServletRequest request) {
    return request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
  }

  private static boolean actuator(String path) {
    return path.equals(AccessRules.ACTUATOR) || path.startsWith(AccessRules.ACTUATOR + "/");
  }

  private Optional<Caller.Rights> authenticate(HttpServletRequest request) {
    if (request.getAttribute(PRINCIPAL) instanceof String p && p.startsWith(Caller.WRITE_KEY)) {
      return Optional.of(Caller.Rights.writeKey(p.substring(Caller.WRITE_KEY.length())));
    }
    String header = request.getHeader("Authorization");
    if (header == null) {
      return Optional.empty();
    }
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String key = header.substring(7).trim();
      return key.isEmpty() ? Optional.empty()
          : apiKeys.authenticate(key).map(k -> Caller.Rights.apiKey(k.name(), Set.copyOf(k.scopes())));
    }
    if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      int colon = decoded.indexOf(':');
      String user = colon < 0 ? decoded : decoded.substring(0, colon);
      if (user.isEmpty()) {
        return Optional.empty();
      }
      if (colon > 0 && identityService.checkPassword(user, decoded.substring(colon + 1))) {
        return Optional.of(Caller.Rights.person(user, groupsOf(user)));
      }
      WriteKeyLookup lookup = writeKeys.getIfAvailable();
      return lookup == null ? Optional.empty() : lookup.authenticate(user).map(Caller.Rights::writeKey);
    }
    return Optional.empty();
  }

  /** The one write the webapp session may make: a migration from the Cockpit versions tab. */
  private static final java.util.regex.Pattern MIGRATIONS = java.util.regex.Pattern.compile("/api/journeys/[^/]+/migrations");
  /** Where the webapps' CSRF filter keeps the session's token, and the header their scripts send it in (CsrfConstants). */
  static final String CSRF_TOKEN_SESSION_KEY = "CAMUNDA_CSRF_TOKEN";
  static final String CSRF_TOKEN_HEADER = "X-XSRF-TOKEN";

  /**
   * Whether the request carries the session's CSRF token: a page of another site makes the browser send the cookie
   * but cannot read the token, so only the webapps' own pages can send it back.
   */
  private static boolean csrfTokenMatches(HttpServletRequest request, jakarta.servlet.http.HttpSession session) {
    Object token = session.getAttribute(CSRF_TOKEN_SESSION_KEY);
    String sent = request.getHeader(CSRF_TOKEN_HEADER);
    return token instanceof String expected && !expected.isEmpty() && sent != null
        && java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
  }

  /** The session key under which the Camunda webapps keep who signed in (their AuthenticationUtil's constant). */
  static final String WEBAPP_SESSION_KEY = "authenticatedUser";

  /**
   * The Camunda user signed in to the webapps on this engine, for a read of the journeys API. Their groups are
   * read again from the identity service, not taken from the session, so a group removed or a user deleted
   * counts from the next request on, as with HTTP Basic.
   */
  private Optional<Caller.Rights> webappSession(HttpServletRequest request, String path) {
    boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
    boolean migration = "POST".equals(request.getMethod()) && MIGRATIONS.matcher(path).matches();
    if (!(read || migration) || request.getHeader("Authorization") != null
        || !(path.equals("/api/journeys") || path.startsWith("/api/journeys/"))) {
      return Optional.empty();
    }
    var session = request.getSession(false);
    if (session == null || !(session.getAttribute(WEBAPP_SESSION_KEY) instanceof Authentications signedIn)) {
      return Optional.empty();
    }
    if (migration && !csrfTokenMatches(request, session)) {
      return Optional.empty();
    }
    Authentication who = signedIn.getAuthenticationForProcessEngine(engineName);
    if (who == null || who.getIdentityId() == null
        || identityService.createUserQuery().userId(who.getIdentityId()).count() == 0) {
      return Optional.empty();
    }
    return Optional.of(Caller.Rights.person(who.getIdentityId(), groupsOf(who.getIdentityId())));
  }

  private Set<String> groupsOf(String user) {
    return identityService.createGroupQuery().groupMember(user).list().stream().map(Group::getId).collect(Collectors.toSet());
  }
}
