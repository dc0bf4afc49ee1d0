package dev.overture;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The module walls: each package under {@code dev.overture} is a module that uses only the
 * dependencies its {@code package-info.java} declares, only through other modules' root packages
 * (never their {@code internal}), and with no cycle between modules. Plain JUnit: no Spring context.
 */
class ModularityTest {

  private static final ApplicationModules MODULES = ApplicationModules.of(OvertureApplication.class);

  @Test
  void everyModuleKeepsToItsDeclaredDependenciesWithoutCycles() {
    MODULES.verify();
  }
}
