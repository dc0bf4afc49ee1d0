package dev.overture.journey;

/** The result of an entry request: the entry, and whether this call created it ({@code replayed}: an earlier one did). */
public record Entered(JourneyEntry entry, boolean replayed) {}
