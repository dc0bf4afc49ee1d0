package dev.overture.platform;

import jakarta.servlet.Filter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * Security from the first commit: API keys, Camunda users or Segment write keys on {@code /api/**} and
 * {@code /v1/**}, API keys or Camunda users on the actuator's endpoints but health, each request checked against
 * {@link AccessRules}; Camunda's own
 * HTTP Basic filter on {@code /engine-rest/**} (with authorization on), the webapps' login for the
 * rest, whose session also reads {@code /api/journeys/**} (the Cockpit plugin's calls). {@link CredentialsCheck} refuses to start outside {@code dev} with empty or demo credentials.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

  private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

  private final SecurityProperties props;
  private final Environment env;

  SecurityConfig(SecurityProperties props, Environment env) {
    this.props = props;
    this.env = env;
  }

  private boolean isDev() {
    return Arrays.asList(env.getActiveProfiles()).contains(CredentialsCheck.DEV_PROFILE);
  }

  @Bean
  FilterRegistrationBean<Filter> apiAuthentication(ApiKeys apiKeys, ProcessEngine engine, AccessRules rules,
      ObjectProvider<WriteKeyLookup> writeKeys) {
    FilterRegistrationBean<Filter> reg = new FilterRegistrationBean<>(
        new ApiAuthenticationFilter(apiKeys, engine.getIdentityService(), rules, writeKeys, engine.getName()));
    // the actuator's endpoints as well (metrics name journeys and count messages); the filter leaves health open
    reg.addUrlPatterns("/api/*", "/v1/*", AccessRules.ACTUATOR + "/*");
    reg.setName("overtureApiAuthentication");
    // after the Segment write-key filter (order 10), which recognises keys sent in the body as well
    reg.setOrder(11);
    return reg;
  }

  /** Camunda's REST API is open by default; this is the documented way to close it. */
  @Bean
  FilterRegistrationBean<Filter> engineRestAuthentication() {
    FilterRegistrationBean<Filter> reg =
        new FilterRegistrationBean<>(new org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter());
    reg.setInitParameters(Map.of("authentication-provider",
        "org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider"));
    reg.addUrlPatterns("/engine-rest/*");
    reg.setName("camundaRestAuthentication");
    reg.setOrder(11);
    return reg;
  }

  @EventListener(ApplicationReadyEvent.class)
  void seedApiKey(ApplicationReadyEvent event) {
    ApiKeys apiKeys = event.getApplicationContext().getBean(ApiKeys.class);
    String key = props.apiKey();
    if (key != null && !key.isBlank()) {
      apiKeys.register("bootstrap", key, List.of(AccessRules.ADMIN_SCOPE));
    }
    if (isDev()) {
      log.warn("""

          ==================================================================
           DEV PROFILE: demo credentials, never use them in production
             Camunda webapps  http://localhost:{}/camunda   user '{}' password '{}'
             API key          Authorization: Bearer {}   (scope admin)
          ==================================================================""",
          env.getProperty("local.server.port", "8080"), props.admin().user(), props.admin().password(), key);
    }
  }
}
