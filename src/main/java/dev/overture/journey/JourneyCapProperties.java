package dev.overture.journey;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code overture.journeys.max-concurrent-marketing}: how many marketing journeys one profile may be in at once
 * (absent: no limit; transactional journeys never count), and {@code overture.journeys.cap-preempts}: whether an entry
 * into a journey of higher {@code overture:priority} ends the profile's lowest-priority one to make room (default
 * false: the entry is refused).
 */
@ConfigurationProperties("overture.journeys")
public class JourneyCapProperties {

  private Integer maxConcurrentMarketing;
  private boolean capPreempts;

  public Integer getMaxConcurrentMarketing() {
    return maxConcurrentMarketing;
  }

  public void setMaxConcurrentMarketing(Integer maxConcurrentMarketing) {
    if (maxConcurrentMarketing != null && maxConcurrentMarketing < 1) {
      throw new IllegalArgumentException("overture.journeys.max-concurrent-marketing must be at least 1 (absent: no limit), got "
          + maxConcurrentMarketing);
    }
    this.maxConcurrentMarketing = maxConcurrentMarketing;
  }

  public boolean isCapPreempts() {
    return capPreempts;
  }

  public void setCapPreempts(boolean capPreempts) {
    this.capPreempts = capPreempts;
  }
}
