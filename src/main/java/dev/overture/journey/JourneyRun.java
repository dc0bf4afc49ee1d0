package dev.overture.journey;

import java.time.Instant;
import java.util.Map;
import org.springframework.lang.Nullable;

/** One journey instance of a profile as the journey log knows it (for export); variables only while it runs. */
public record JourneyRun(String processInstanceId, String journeyKey, int version, String state, Instant startedAt,
    @Nullable Instant endedAt, @Nullable String endReason, @Nullable String endElementId, @Nullable Map<String, Object> variables) {}
