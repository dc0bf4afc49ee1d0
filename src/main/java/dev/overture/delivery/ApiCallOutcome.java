package dev.overture.delivery;

import java.time.Duration;
import java.util.Map;

/** What became of one try of an {@link ApiCall}. */
public sealed interface ApiCallOutcome {

  /** The API answered 2xx: the mapped journey variables (a pointer that found nothing maps to null). */
  record Answered(int status, Map<String, Object> variables) implements ApiCallOutcome {}

  /**
   * Worth trying again after {@code after} (5xx, 408, 429, no answer in time): the answer's {@code Retry-After}, else
   * the backoff for this attempt; {@code counts} is false when the call was not made (the endpoint's rate limit).
   */
  record TryAgain(Duration after, String reason, boolean counts) implements ApiCallOutcome {}

  /** Trying again would not help (another 4xx, a body or answer that is no JSON, a template value missing). */
  record Failed(String reason) implements ApiCallOutcome {}

  /** The step names no allowed endpoint any more: an operator's matter, not the journey's. */
  record Misconfigured(String reason) implements ApiCallOutcome {}
}
