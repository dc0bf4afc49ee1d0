package dev.overture.profile;

/**
 * Something a segment may read about the profile changed: its attributes (an upsert, an Update profile step) or its
 * consents. Published inside the change's transaction, so a listener's writes commit or roll back with the change.
 */
public record ProfileChanged(String profileId) {}
