package dev.overture.event;

import java.time.Instant;
import java.util.Map;

/** Something a customer did, e.g. {@code purchase.completed}; {@code eventId} makes a resend a no-op. */
public record CustomerEvent(String eventId, String type, String profileId, Instant occurredAt, Map<String, Object> properties) {}
