package dev.overture.journey.internal;

import java.util.function.Supplier;

/**
 * A test walk is the journey instance of a test profile (docs/events.md, "Test mode"): every timer of it is
 * shortened and it counts nowhere. The entry knows the profile is one (from the row it locks anyway) and says
 * so for the length of the start call; the journey log, which the engine calls on this thread while it starts
 * the instance, marks the instance's row, and everything later asks the log ({@link JourneyRunKeys}).
 */
public final class TestWalks {

  private static final ThreadLocal<Boolean> STARTING = new ThreadLocal<>();

  private TestWalks() {}

  /** Runs {@code start} (one process instance start) telling the journey log whether it starts a test walk. */
  public static <T> T start(boolean test, Supplier<T> start) {
    Boolean outer = STARTING.get();
    STARTING.set(test);
    try {
      return start.get();
    } finally {
      if (outer == null) {
        STARTING.remove();
      } else {
        STARTING.set(outer);
      }
    }
  }

  /** Whether the instance that is starting on this thread is a test walk. */
  static boolean starting() {
    return Boolean.TRUE.equals(STARTING.get());
  }
}
