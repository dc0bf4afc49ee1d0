package dev.overture.experiment.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The journey analytics tables keep times as UTC wall-clock DATETIME(3) values, as {@code journey_run} does,
 * whatever the JVM's or the connection's time zone: written and compared as UTC {@link LocalDateTime}s.
 */
public final class Utc {

  private Utc() {}

  public static LocalDateTime of(Instant instant) {
    return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
  }

  public static Instant instant(LocalDateTime utc) {
    return utc.toInstant(ZoneOffset.UTC);
  }
}
