package dev.overture.platform;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.engine.authorization.Groups;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Who may call what on {@code /api/**}, {@code /v1/**} and the actuator's endpoints other than health, in one
 * table: method and path pattern to a permission, each permission to the Camunda groups and the API-key scope that
 * grant it. A request that no rule covers is refused, so a new endpoint is closed until it is given a row here (and
 * in {@code docs/access.md}, which a test holds against the running app).
 */
@Component
class AccessRules {

  static final String MARKETERS = "marketers";
  static final String CREATIVE_REVIEWERS = "creative-reviewers";
  static final String COMPLIANCE_OFFICERS = "compliance-officers";
  static final String PRIVACY_OFFICERS = "privacy-officers";

  /** Every scope an API key may hold; {@code admin} holds the rights of all others. */
  static final List<String> SCOPES = List.of("events:write", "profiles:read", "profiles:write", "consents:write",
      "journeys:write", "segments:write", "campaigns:write", "privacy", "providers", "metrics", "admin");

  /** Where the actuator's endpoints are; its health and health groups stay open (load balancers poll them). */
  static final String ACTUATOR = "/actuator";

  static final String ADMIN_SCOPE = "admin";

  /**
   * One right. {@code scope} is the API-key scope that grants it, {@code groups} the Camunda groups;
   * {@code forAdmins} whether {@code camunda-admin} and the {@code admin} scope hold it too, and
   * {@code writeKey} whether a Segment write key does.
   */
  record Permission(String scope, Set<String> groups, boolean forAdmins, boolean writeKey) {

    /** What a refusal tells the caller, e.g. "needs group marketers or privacy-officers, or scope profiles:read". */
    String needs() {
      List<String> ways = new java.util.ArrayList<>();
      if (writeKey) {
        ways.add("a Segment write key");
      }
      if (!groups.isEmpty()) {
        ways.add("group " + or(groups.stream().sorted().toList()));
      }
      if (scope != null) {
        ways.add("scope " + scope);
      }
      return "needs " + String.join(groups.size() > 1 ? ", or " : " or ", ways);
    }

    private static String or(List<String> names) {
      int last = names.size() - 1;
      return last == 0 ? names.get(0) : String.join(", ", names.subList(0, last)) + " or " + names.get(last);
    }
  }

  private record Rule(HttpMethod method, PathPattern pattern, Permission permission) {}

  private final List<Rule> rules;

  AccessRules(@Value("${overture.delivery.creatives.approver-group:creative-approvers}") String creativeApprovers) {
    Permission profilesRead = new Permission("profiles:read", Set.of(MARKETERS, PRIVACY_OFFICERS), true, false);
    Permission profilesWrite = new Permission("profiles:write", Set.of(), true, false);
    // marketers walk journeys with test profiles before launch; the rest of a profile they only read
    Permission testProfile = new Permission("profiles:write", Set.of(MARKETERS), true, false);
    Permission consents = new Permission("consents:write", Set.of(PRIVACY_OFFICERS), true, false);
    Permission privacy = new Permission("privacy", Set.of(PRIVACY_OFFICERS), true, false);
    Permission events = new Permission("events:write", Set.of(), true, false);
    Permission segmentApi = new Permission("events:write", Set.of(), true, true);
    Permission journeys = new Permission("journeys:write", Set.of(MARKETERS), true, false);
    Permission segments = new Permission("segments:write", Set.of(MARKETERS), true, false);
    Permission campaigns = new Permission("campaigns:write", Set.of(MARKETERS), true, false);
    Permission review = new Permission("campaigns:write", Set.of(MARKETERS, CREATIVE_REVIEWERS, COMPLIANCE_OFFICERS), true, false);
    // approving is a reviewer's own decision: no key, and admins only as members of the group
    Permission approve = new Permission(null, Set.of(creativeApprovers), false, false);
    Permission providers = new Permission("providers", Set.of(), true, false);
    Permission admin = new Permission(ADMIN_SCOPE, Set.of(Groups.CAMUNDA_ADMIN), true, false);
    // journey names and message counts: for the scraper's key and the people who run the cluster
    Permission metrics = new Permission("metrics", Set.of(Groups.CAMUNDA_ADMIN), true, false);

    rules = List.of(
        rule("POST", "/api/profiles", profilesWrite),
        rule("GET", "/api/profiles", profilesRead),
        rule("GET", "/api/profiles/{profileId}", profilesRead),
        rule("PUT", "/api/profiles/{profileId}/test-profile", testProfile),
        rule("GET", "/api/profiles/{profileId}/consents", profilesRead),
        rule("GET", "/api/profiles/{profileId}/send-time", profilesRead),
        rule("PUT", "/api/profiles/{profileId}/consents/{channel}", consents),
        rule("GET", "/api/profiles/{profileId}/export", privacy),
        rule("DELETE", "/api/profiles/{profileId}", privacy),
        rule("POST", "/api/suppressions", consents),
        rule("GET", "/api/suppressions/{channel}/{address}", consents),
        rule("DELETE", "/api/suppressions/{channel}/{address}", consents),
        rule("GET", "/api/deliveries", profilesRead),
        rule("GET", "/api/deliveries/{id}", profilesRead),
        rule("POST", "/api/events", events),
        rule("POST", "/api/events/batch", events),
        rule("POST", "/v1/{call}", segmentApi),
        rule("GET", "/api/profiles/{profileId}/journeys", profilesRead),
        rule("GET", "/api/journeys", journeys),
        rule("GET", "/api/journeys/{key}", journeys),
        rule("GET", "/api/journeys/{key}/stats", journeys),
        rule("GET", "/api/journeys/{key}/results", journeys),
        rule("POST", "/api/journeys/{key}/{action:pause|resume}", journeys),
        // moving running customers changes a journey as pausing does: the same right
        rule("POST", "/api/journeys/{key}/migrations", journeys),
        rule("GET", "/api/journeys/{key}/migrations/{id}", journeys),
        rule("POST", "/api/journeys/{key}/versions", journeys),
        rule("POST", "/api/journeys/{key}/versions/{version}/{action:submit|activate}", journeys),
        // a dry run sends nothing but takes a shadow of every entry: as much a change of the journey as a new version
        rule("POST", "/api/journeys/{key}/versions/{version}/dry-run", journeys),
        rule("DELETE", "/api/journeys/{key}/dry-run", journeys),
        rule("GET", "/api/journeys/{key}/dry-runs", journeys),
        rule("DELETE", "/api/journeys/{key}/profiles/{profileId}", journeys),
        rule("POST", "/api/journeys/{key}/entries", journeys),
        rule("GET", "/api/journeys/{key}/entries/{entryId}", journeys),
        rule("POST", "/api/journeys/{key}/enrollments", journeys),
        rule("GET", "/api/enrollments/{id}", journeys),
        rule("POST", "/api/enrollments/{id}/{action:pause|resume|cancel}", journeys),
        // a schedule enrolls again and again: the right to enroll once
        rule("POST", "/api/journeys/{key}/schedules", journeys),
        rule("GET", "/api/journeys/{key}/schedules", journeys),
        rule("GET", "/api/enrollment-schedules/{id}", journeys),
        rule("GET", "/api/enrollment-schedules/{id}/runs", journeys),
        rule("POST", "/api/enrollment-schedules/{id}/stop", journeys),
        rule("POST", "/api/segments", segments),
        rule("PUT", "/api/segments/{key}", segments),
        rule("GET", "/api/segments/{key}", segments),
        rule("GET", "/api/segments/{key}/count", segments),
        rule("GET", "/api/segments/{key}/members", segments),
        rule("POST", "/api/creatives", campaigns),
        rule("GET", "/api/creatives/{key}", review),
        rule("GET", "/api/creatives/{key}/{channel}/versions/{version}", review),
        rule("POST", "/api/creatives/{key}/{channel}/versions/{version}/preview", campaigns),
        rule("POST", "/api/creatives/{key}/{channel}/versions/{version}/test-send", campaigns),
        rule("POST", "/api/creatives/{key}/{channel}/versions/{version}/approval", approve),
        rule("POST", "/api/campaigns", campaigns),
        rule("GET", "/api/campaigns/{id}", review),
        rule("POST", "/api/delivery/sms/inbound", providers),
        rule("POST", "/api/deliveries/{outboxId}/feedback", providers),
        rule("POST", "/api/keys", admin),
        rule("GET", "/api/keys", admin),
        rule("DELETE", "/api/keys/{id}", admin),
        rule("GET", ACTUATOR, metrics),
        rule("GET", ACTUATOR + "/info", metrics),
        rule("GET", ACTUATOR + "/prometheus", metrics));
  }

  private static Rule rule(String method, String pattern, Permission permission) {
    return new Rule(HttpMethod.valueOf(method), PathPatternParser.defaultInstance.parse(pattern), permission);
  }

  /** The permission a request needs; empty when no rule covers it (then it is refused). */
  Optional<Permission> permissionFor(String method, String path) {
    PathContainer container = PathContainer.parsePath(path);
    return rules.stream()
        .filter(r -> r.method().matches(method) && r.pattern().matches(container))
        .map(Rule::permission)
        .findFirst();
  }

  /** The methods some rule covers at this path: none means the API has nothing there (404), others a 405. */
  Set<String> methodsAt(String path) {
    PathContainer container = PathContainer.parsePath(path);
    return rules.stream().filter(r -> r.pattern().matches(container)).map(r -> r.method().name())
        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
  }

  /** "METHOD /path" of the actuator's guarded operations, which the OpenAPI document does not list. */
  List<String> actuatorOperations() {
    return rules.stream().map(r -> r.method().name() + " " + r.pattern().getPatternString())
        .filter(op -> op.substring(op.indexOf(' ') + 1).startsWith(ACTUATOR)).toList();
  }

  /** The groups that may read the journeys and their analytics (the Cockpit plugin's readers). */
  Set<String> journeyReaders() {
    return permissionFor("GET", "/api/journeys/any").orElseThrow().groups();
  }

  /** Whether a caller with these groups (people) or scopes (API keys) holds the permission. */
  static boolean grants(Permission p, Caller.Rights rights) {
    if (rights.writeKey()) {
      return p.writeKey();
    }
    boolean admin = rights.groups().contains(Groups.CAMUNDA_ADMIN) || rights.scopes().contains(ADMIN_SCOPE);
    return (p.forAdmins() && admin)
        || rights.groups().stream().anyMatch(p.groups()::contains)
        || (p.scope() != null && rights.scopes().contains(p.scope()));
  }
}
