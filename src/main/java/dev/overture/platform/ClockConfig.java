package dev.overture.platform;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The app's {@link Clock}, for decisions that are measured in time (a journey's re-entry cooldown): the
 * system clock in UTC, which a test replaces by one it can move.
 */
@Configuration(proxyBeanMethods = false)
class ClockConfig {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
