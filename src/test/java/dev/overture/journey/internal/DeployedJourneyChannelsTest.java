package dev.overture.journey.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overture.delivery.ChannelProviders;
import dev.overture.delivery.internal.DeliveryProperties;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The start-up check on deployed journeys, without an app: the bundled journeys need email and push. */
class DeployedJourneyChannelsTest {

  private static final List<String> BUNDLED = List.of("welcome", "abandoned-cart", "post-purchase", "store-visit", "winback",
      "campaign-launch");

  @Test
  void theAppDoesNotStartWhileABundledJourneySendsPushAndPushHasNoProvider() {
    assertThatThrownBy(() -> DeployedJourneyChannels.verify(bundled(), providers(Map.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Overture does not start")
        .hasMessageContaining("journey 'abandoned-cart' version 1, element 'Task_SendCartLastCallPush'")
        .hasMessageContaining("journey 'store-visit' version 1")
        .hasMessageContaining("overture.delivery.push.url (OVERTURE_PUSH_URL)")
        .hasMessageNotContaining("email has no provider");
  }

  @Test
  void withoutSmtpTheEmailJourneysNameSpringMailHost() {
    assertThatThrownBy(() -> DeployedJourneyChannels.verify(bundled(), new ChannelProviders(settings(Map.of(
        "overture.delivery.push.provider", "file")), false, false)::missing))
        .hasMessageContaining("journey 'welcome' version 1")
        .hasMessageContaining("spring.mail.host (SPRING_MAIL_HOST)");
  }

  @Test
  void theAppStartsWithAPushProviderOrThePushFileOutboxNamed() {
    assertThatCode(() -> DeployedJourneyChannels.verify(bundled(), providers(Map.of("overture.delivery.push.url", "https://push.example.com"))))
        .doesNotThrowAnyException();
    assertThatCode(() -> DeployedJourneyChannels.verify(bundled(), providers(Map.of("overture.delivery.push.provider", "file"))))
        .doesNotThrowAnyException();
  }

  @Test
  void theAppDoesNotStartWhileADeployedJourneyCallsAnEndpointThatIsNotConfigured() {
    String bpmn = dev.overture.support.TestJourneys.xml("loyalty-tier.bpmn", "loyalty").bpmn()
        .replace("value=\"ENDPOINT\"", "value=\"loyalty\"");
    List<DeployedJourneyChannels.Deployed> deployed = List.of(new DeployedJourneyChannels.Deployed("loyalty-tier", 3,
        Bpmn.readModelFromStream(new java.io.ByteArrayInputStream(bpmn.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));

    assertThatThrownBy(() -> DeployedJourneyChannels.verify(deployed, c -> java.util.Optional.empty(),
        (endpoint, method, path) -> java.util.Optional.of("endpoint '" + endpoint + "' " + method + " " + path + " is not configured")))
        .hasMessageContaining("Overture does not start")
        .hasMessageContaining("journey 'loyalty-tier' version 3, element 'Task_ReadTier': endpoint 'loyalty' POST /members/{{profileId}}/tier");
    assertThatCode(() -> DeployedJourneyChannels.verify(deployed, c -> java.util.Optional.empty(),
        (endpoint, method, path) -> java.util.Optional.empty())).doesNotThrowAnyException();
  }

  private static List<DeployedJourneyChannels.Deployed> bundled() {
    return BUNDLED.stream().map(key -> {
      try (InputStream in = DeployedJourneyChannelsTest.class.getResourceAsStream("/bpmn/" + key + ".bpmn")) {
        return new DeployedJourneyChannels.Deployed(key, 1, Bpmn.readModelFromStream(in));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).toList();
  }

  /** A node with SMTP and these settings, outside the dev profile. */
  private static java.util.function.Function<String, java.util.Optional<String>> providers(Map<String, String> settings) {
    return new ChannelProviders(settings(settings), true, false)::missing;
  }

  private static DeliveryProperties settings(Map<String, String> settings) {
    return new Binder(new MapConfigurationPropertySource(new HashMap<>(settings))).bindOrCreate("overture.delivery",
        DeliveryProperties.class);
  }
}
