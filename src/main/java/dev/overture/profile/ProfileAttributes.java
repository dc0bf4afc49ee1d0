package dev.overture.profile;

import java.util.Map;

/** A profile's id and attributes, as segment evaluation reads them. */
public record ProfileAttributes(String id, Map<String, Object> values) {}
