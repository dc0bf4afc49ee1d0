package dev.overture.delivery;

import dev.overture.delivery.internal.ApiEndpoints;
import dev.overture.delivery.internal.ApiRequests;
import dev.overture.profile.Profiles;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * The journeys' calls to the APIs of the allow-list ({@link ActionProperties}): what a step may name, checked at
 * deployment, and one try of a call made for a profile, its body rendered from the same context as a message.
 * Consent and quiet hours do not apply (it is no message to the customer); the endpoint's rate limit does.
 */
@Service
public class ApiCalls {

  /** The BPMN error a step throws when its call failed for good, for an error boundary event to catch. */
  public static final String FAILED = "api-call-failed";
  /** The external-task topic of every "Call an API" step. */
  public static final String TOPIC = "overture-api-call";

  private final ApiRequests requests;
  private final ActionProperties props;
  private final Profiles profiles;

  ApiCalls(ApiRequests requests, ActionProperties props, Profiles profiles) {
    this.requests = requests;
    this.props = props;
    this.profiles = profiles;
  }

  /** What keeps a step with this endpoint, method and path from being deployed, in words; empty when nothing does. */
  public Optional<String> refused(String endpoint, String method, String path) {
    return ApiEndpoints.problem(endpoint, method, path, props);
  }

  /**
   * One try of the call for the profile about this moment, attempt 1 being the first. {@code idempotencyKey} goes out as
   * the {@code Idempotency-Key} header, the same for every try of one step, so an API can tell a retry from a new call.
   */
  public ApiCallOutcome call(ApiCall call, String profileId, Deliveries.Moment moment, String idempotencyKey, int attempt) {
    MessageContext context = profiles.find(profileId).map(p -> MessageContext.of(p, moment.event(), moment.journeyVariables()))
        .orElse(new MessageContext(java.util.Map.of("profileId", profileId), moment.event(), moment.journeyVariables()));
    return requests.send(call, context, idempotencyKey, attempt);
  }

  /** How many tries a call gets before it fails for good. */
  public int maxAttempts() {
    return props.maxAttempts();
  }

  /** How long a worker may hold a call before another may take it: the longest endpoint timeout, the rate-limit wait, a margin. */
  public Duration lease() {
    return props.endpoints().values().stream().map(ActionProperties.Endpoint::timeout).max(Duration::compareTo)
        .orElse(Duration.ofSeconds(10)).plusSeconds(60);
  }

  /** The worker's threads and how often it looks for calls nobody announced (retries due, other nodes' steps). */
  public ActionProperties settings() {
    return props;
  }
}
