package dev.overture.delivery;

import java.time.Instant;

/** What happened to one message: the outbox row seen from outside. */
public record Delivery(
    String id, String profileId, String channel, String purpose, String creativeKey, Integer creativeVersion,
    String journeyKey, String processInstanceId, String activityId, String status, String reason, String recipient,
    int attempts, Instant createdAt, Instant dueAt, Instant sentAt) {

  public static final String PENDING = "pending";
  public static final String SENDING = "sending";
  public static final String SENT = "sent";
  public static final String SUPPRESSED = "suppressed";
  public static final String FAILED = "failed";
}
