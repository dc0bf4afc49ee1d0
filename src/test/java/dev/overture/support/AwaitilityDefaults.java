package dev.overture.support;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every test's waits look at once, then every poll interval: Awaitility 4.2 waits one poll interval before its
 * first look by default (100 ms, or the interval the wait names), also when the condition already holds. Registered for every class by JUnit's extension auto-detection
 * (junit-platform.properties).
 */
public final class AwaitilityDefaults implements BeforeAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    Awaitility.setDefaultPollDelay(Duration.ZERO);
  }
}
