package dev.overture.profile;

/**
 * The profile was erased: published in the erasure's transaction, for modules that keep rows by profile id outside
 * the erasure's list of facades.
 */
public record ProfileErased(String profileId) {}
