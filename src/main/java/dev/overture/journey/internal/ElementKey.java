package dev.overture.journey.internal;

import java.util.Comparator;

/** Where an element's counts go: its run's key and the element id. */
record ElementKey(RunKey run, String elementId) implements Comparable<ElementKey> {
  @Override
  public int compareTo(ElementKey o) {
    // the primary key's order: journey, version, element, hour
    return Comparator.comparing((ElementKey k) -> k.run().journeyKey()).thenComparingInt(k -> k.run().version())
        .thenComparing(ElementKey::elementId).thenComparing(k -> k.run().hour()).compare(this, o);
  }
}
