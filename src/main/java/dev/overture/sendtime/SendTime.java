package dev.overture.sendtime;

import java.time.DayOfWeek;
import java.time.Instant;
import java.util.List;

/**
 * A profile's best hours of the week on a channel, best first, in its time zone and as their next UTC instant; how far
 * to trust them; and what they were learnt from.
 */
public record SendTime(String profileId, String channel, String timeZone, List<Hour> best, double confidence,
    boolean confident, LearntFrom learntFrom) {

  /** One hour of the week: {@code hourOfWeek} 0 is Monday 00:00 local; {@code score} its share of the model (all sum to 1). */
  public record Hour(int hourOfWeek, DayOfWeek day, String localTime, double score, Instant next) {}

  /**
   * The opens and clicks the model holds (all time), their weight today after decay ({@code effectiveEngagements}),
   * the share of the answer that is the population's rather than the profile's, and the decay's half-life.
   */
  public record LearntFrom(int opens, int clicks, double effectiveEngagements, double populationWeight, String halfLife) {}
}
