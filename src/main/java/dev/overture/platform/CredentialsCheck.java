package dev.overture.platform;

import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Runs before any bean exists: outside the {@code dev} profile the app refuses to start with an
 * empty or demo admin password or API key. Registered in {@code META-INF/spring.factories}.
 */
class CredentialsCheck implements EnvironmentPostProcessor {

  static final String DEV_PROFILE = "dev";
  static final String DEMO_PASSWORD = "demo";
  static final String DEMO_API_KEY = "dev-overture-demo-key";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    if (Arrays.asList(env.getActiveProfiles()).contains(DEV_PROFILE)) {
      return;
    }
    String user = env.getProperty("overture.admin.user", "");
    String password = env.getProperty("overture.admin.password", "");
    if (user.isBlank() || password.length() < 12 || password.equals(DEMO_PASSWORD)) {
      throw new InsecureConfigurationException(
          "Set OVERTURE_ADMIN_USER and OVERTURE_ADMIN_PASSWORD (at least 12 characters, not a demo value), "
              + "or run with the 'dev' profile (SPRING_PROFILES_ACTIVE=dev) for a local demo.");
    }
    String key = env.getProperty("overture.api-key", "");
    if (!key.isBlank() && (key.length() < 24 || key.equals(DEMO_API_KEY))) {
      throw new InsecureConfigurationException(
          "OVERTURE_API_KEY must be at least 24 random characters and not the demo key.");
    }
  }

  /** Thrown at start-up when credentials are missing or are the demo ones. */
  static class InsecureConfigurationException extends RuntimeException {
    InsecureConfigurationException(String message) {
      super(message);
    }
  }
}
