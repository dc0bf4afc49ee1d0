package dev.overture.journey;

import java.time.Instant;
import java.util.Map;

/** One journey instance of a profile as the journey log knows it (for export); variables only while it runs. */
public record JourneyRun(String processInstanceId, String journeyKey, int version, String state, Instant startedAt,
    Instant endedAt, String endReason, String endElementId, Map<String, Object> variables) {}
