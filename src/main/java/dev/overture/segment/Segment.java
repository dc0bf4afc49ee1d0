package dev.overture.segment;

import java.time.Instant;

/**
 * One version of a segment: a FEEL expression over a profile's attributes and behaviour.
 * {@code evaluation} says how members are found: {@code sql} (indexed columns alone),
 * {@code sql+feel} (SQL selects candidates, FEEL decides) or {@code feel} (every profile through FEEL).
 */
public record Segment(String key, int version, String name, String expression, Instant createdAt, String evaluation) {}
