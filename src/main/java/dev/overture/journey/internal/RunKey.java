package dev.overture.journey.internal;

import java.time.LocalDateTime;
import java.util.Comparator;

/** Where an instance's counts go: its journey, version and the UTC hour it entered; a test walk's go nowhere. */
record RunKey(String journeyKey, int version, LocalDateTime hour, boolean test) implements Comparable<RunKey> {
  @Override
  public int compareTo(RunKey o) {
    return Comparator.comparing(RunKey::journeyKey).thenComparingInt(RunKey::version).thenComparing(RunKey::hour)
        .thenComparing(RunKey::test).compare(this, o);
  }
}
