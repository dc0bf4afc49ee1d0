package dev.overture.profile;

/**
 * Published inside the merge transaction: {@code mergedId} has just been folded into
 * {@code survivorId}. Modules that key rows by profile move them in their listener, so the merge
 * commits or rolls back as one.
 */
public record ProfilesMerged(String survivorId, String mergedId, String reason) {}
