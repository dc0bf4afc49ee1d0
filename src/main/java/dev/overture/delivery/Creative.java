package dev.overture.delivery;

import java.time.Instant;
import java.util.Map;

/**
 * One immutable version of a message template for one channel. Editing means a new version, which
 * needs approval again; only approved versions are dispatched (the newest approved one).
 */
public record Creative(
    String key, String channel, int version, String status, String subject, String html, String text, String smsBody,
    String pushTitle, String pushBody, Map<String, String> fallbacks, String createdBy, Instant createdAt,
    String approvedBy, Instant approvedAt) {

  public static final String PENDING_APPROVAL = "pending";
  public static final String APPROVED = "approved";

  public boolean approved() {
    return APPROVED.equals(status);
  }

  /** What an author submits; {@code fallbacks} give the value of an attribute the profile lacks. */
  public record Draft(String key, String channel, String subject, String html, String text, String smsBody, String pushTitle,
      String pushBody, Map<String, String> fallbacks) {}

  /** A creative filled in for one profile. */
  public record Rendered(String key, String channel, int version, String subject, String text, String html, String smsBody,
      String pushTitle, String pushBody) {}
}
