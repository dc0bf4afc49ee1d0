package dev.overture.delivery;

import dev.overture.delivery.internal.HoldoutProperties;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The global holdout at a percentage of the test's choosing, over the installation's salt in {@code jdbc}'s
 * database. The app's own holdout is 0 % in the shared test context; a test that needs profiles held out builds
 * the parts that read the holdout with one of these, instead of a context of its own.
 */
public final class Holdouts {

  private Holdouts() {}

  public static Holdout at(double percent, JdbcClient jdbc) {
    return new Holdout(jdbc, new HoldoutProperties(percent));
  }
}
