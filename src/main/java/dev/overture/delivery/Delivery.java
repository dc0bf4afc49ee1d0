package dev.overture.delivery;

import java.time.Instant;
import java.util.Map;
import org.springframework.lang.Nullable;

/**
 * What happened to one message: the outbox row seen from outside. {@code context} is what it is rendered
 * from, taken when the journey step ran (null for a message queued without one: the profile as it is at send time).
 */
public record Delivery(
    String id, String profileId, String channel, String purpose, String creativeKey, @Nullable Integer creativeVersion,
    @Nullable String journeyKey, @Nullable String processInstanceId, @Nullable String activityId, String status,
    @Nullable String reason, @Nullable String recipient,
    int attempts, Instant createdAt, Instant dueAt, @Nullable Instant sentAt, @Nullable Instant deliveredAt,
    @Nullable Map<String, Object> params,
    @Nullable MessageContext context) {

  public static final String PENDING = "pending";
  public static final String SENDING = "sending";
  public static final String SENT = "sent";
  public static final String SUPPRESSED = "suppressed";
  public static final String FAILED = "failed";
  public static final String BOUNCED = "bounced";

  /** The channel a {@code preferred} message resolved to. */
  public Delivery withChannel(String resolved) {
    return new Delivery(id, profileId, resolved, purpose, creativeKey, creativeVersion, journeyKey, processInstanceId,
        activityId, status, reason, recipient, attempts, createdAt, dueAt, sentAt, deliveredAt, params, context);
  }

  public String param(String name) {
    Object value = params == null ? null : params.get(name);
    return value == null ? null : value.toString();
  }
}
