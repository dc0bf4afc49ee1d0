package dev.overture.journey;

import java.time.Instant;

/** A profile's entry into a journey: one process instance, business key = profile id. */
public record JourneyEntry(String entryId, String journeyKey, String profileId, String processInstanceId, Instant createdAt) {}
