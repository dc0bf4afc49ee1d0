package dev.overture.platform;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Credentials the app starts with: the Camunda admin user ({@code OVERTURE_ADMIN_USER},
 * {@code OVERTURE_ADMIN_PASSWORD}) and an optional API key for systems ({@code OVERTURE_API_KEY}),
 * stored only as a SHA-256 hash.
 */
@ConfigurationProperties("overture")
public record SecurityProperties(Admin admin, String apiKey) {

  public SecurityProperties {
    admin = admin == null ? new Admin(null, null) : admin;
  }

  public record Admin(String user, String password) {}
}
