package dev.overture.platform;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

class CredentialsCheckTest {

  private final CredentialsCheck check = new CredentialsCheck();

  @Test
  void refusesToStartWithoutAdminPassword() {
    MockEnvironment env = new MockEnvironment().withProperty("overture.admin.user", "admin");
    assertThatThrownBy(() -> check.postProcessEnvironment(env, new SpringApplication()))
        .hasMessageContaining("OVERTURE_ADMIN_PASSWORD");
  }

  @Test
  void refusesDemoCredentialsOutsideDev() {
    MockEnvironment env = new MockEnvironment()
        .withProperty("overture.admin.user", "demo").withProperty("overture.admin.password", "demo");
    assertThatThrownBy(() -> check.postProcessEnvironment(env, new SpringApplication()))
        .isInstanceOf(CredentialsCheck.InsecureConfigurationException.class);
  }

  @Test
  void refusesTheDemoApiKeyOutsideDev() {
    MockEnvironment env = new MockEnvironment()
        .withProperty("overture.admin.user", "ops").withProperty("overture.admin.password", "a-long-real-password")
        .withProperty("overture.api-key", "dev-overture-demo-key");
    assertThatThrownBy(() -> check.postProcessEnvironment(env, new SpringApplication()))
        .hasMessageContaining("OVERTURE_API_KEY");
  }

  @Test
  void acceptsRealCredentialsAndTheDevProfile() {
    MockEnvironment real = new MockEnvironment()
        .withProperty("overture.admin.user", "ops").withProperty("overture.admin.password", "a-long-real-password")
        .withProperty("overture.api-key", "");
    assertThatCode(() -> check.postProcessEnvironment(real, new SpringApplication())).doesNotThrowAnyException();
    MockEnvironment dev = new MockEnvironment();
    dev.setActiveProfiles("dev");
    assertThatCode(() -> check.postProcessEnvironment(dev, new SpringApplication())).doesNotThrowAnyException();
  }
}
