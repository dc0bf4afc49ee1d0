package dev.overture.event.internal;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Registers {@code overture.events.segment-write-key} at start-up; the dev profile prints it, like the API key. */
@Component
class SegmentWriteKeySeed {

  private static final Logger log = LoggerFactory.getLogger(SegmentWriteKeySeed.class);

  private final SegmentWriteKeys keys;
  private final EventsProperties props;
  private final Environment env;

  SegmentWriteKeySeed(SegmentWriteKeys keys, EventsProperties props, Environment env) {
    this.keys = keys;
    this.props = props;
    this.env = env;
  }

  @EventListener(ApplicationReadyEvent.class)
  void seed() {
    String key = props.segmentWriteKey();
    if (key == null || key.isBlank()) {
      return;
    }
    keys.register("bootstrap", key);
    if (Arrays.asList(env.getActiveProfiles()).contains("dev")) {
      log.warn("""

          ==================================================================
           DEV PROFILE: demo Segment write key, never use it in production
             Segment / RudderStack SDK   host http://localhost:{}  writeKey {}
          ==================================================================""",
          env.getProperty("local.server.port", "8080"), key);
    }
  }
}
