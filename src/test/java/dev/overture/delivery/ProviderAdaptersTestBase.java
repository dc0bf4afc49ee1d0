package dev.overture.delivery;

import dev.overture.support.ProviderKeys;
import dev.overture.support.TestHttpProviders;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An app whose SMS go through Twilio and whose pushes go through FCM, each played by the tests' WireMock as its
 * documentation describes it. A second app beside the shared context (the route of a channel is decided at start-up),
 * closed after each class so that it does not poll through the rest of the suite.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
abstract class ProviderAdaptersTestBase extends DeliveryTestBase {

  static final String TWILIO_SID = "AC0123456789abcdef0123456789abcdef";
  static final String TWILIO_TOKEN = "twilio-auth-token-for-tests";
  static final String TWILIO_FROM = "+15005550006";
  /** The app's public URL, which Twilio's signatures cover; the tests reach the app on localhost all the same. */
  static final String PUBLIC_URL = "https://overture.example.com";
  static final String FCM_PROJECT = "overture-test";
  static final String FCM_CLIENT_EMAIL = "push@overture-test.iam.gserviceaccount.com";

  private static String serviceAccountFile;

  private static synchronized String serviceAccountFile() {
    if (serviceAccountFile == null) {
      serviceAccountFile = ProviderKeys.tempFile(".json", serviceAccountJson()).toString();
    }
    return serviceAccountFile;
  }

  /** A service account key as the Firebase console hands it out, its token URI on WireMock. */
  static String serviceAccountJson() {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(java.util.Map.of(
          "type", "service_account", "project_id", FCM_PROJECT, "private_key_id", "key-1",
          "private_key", ProviderKeys.privateKeyPem(), "client_email", FCM_CLIENT_EMAIL, "client_id", "1234567890",
          "token_uri", TestHttpProviders.url("/fcm/token")));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void adapters(DynamicPropertyRegistry registry) {
    // an engine of its own name and no webapps: engines are registered by name JVM-wide and the webapps keep static
    // state, so closing this app would otherwise leave the shared context's Cockpit answering 500
    registry.add("camunda.bpm.process-engine-name", () -> "provider-adapters");
    registry.add("camunda.bpm.webapp.enabled", () -> "false");
    registry.add("overture.delivery.sms.provider", () -> "twilio");
    registry.add("overture.providers.twilio.account-sid", () -> TWILIO_SID);
    registry.add("overture.providers.twilio.auth-token", () -> TWILIO_TOKEN);
    registry.add("overture.providers.twilio.from", () -> TWILIO_FROM);
    registry.add("overture.providers.twilio.base-url", () -> TestHttpProviders.url(""));
    registry.add("overture.delivery.tracking.base-url", () -> PUBLIC_URL);
    registry.add("overture.delivery.push.provider", () -> "fcm");
    registry.add("overture.providers.fcm.service-account-file", ProviderAdaptersTestBase::serviceAccountFile);
    registry.add("overture.providers.fcm.base-url", () -> TestHttpProviders.url("/fcm"));
  }
}
