package dev.overture.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overture.consent.Channel;
import dev.overture.delivery.ChannelProviders.Route;
import dev.overture.delivery.internal.DeliveryProperties;
import dev.overture.delivery.internal.ProviderAdapterProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Where each channel's messages go for a configuration, without Spring: the file outbox only by name or in dev. */
class ChannelProvidersTest {

  @Test
  void outsideDevAChannelWithoutItsUrlHasNoProviderAndSaysWhichPropertyToSet() {
    ChannelProviders providers = new ChannelProviders(settings(Map.of()), false, false);

    assertThat(providers.route(Channel.SMS)).isEqualTo(Route.NONE);
    assertThat(providers.missing(Channel.SMS)).hasValueSatisfying(m -> assertThat(m)
        .contains("overture.delivery.sms.url").contains("OVERTURE_SMS_URL").contains("overture.delivery.sms.provider"));
    assertThat(providers.missing("push")).hasValueSatisfying(m -> assertThat(m).contains("overture.delivery.push.url"));
    assertThat(providers.missing(Channel.EMAIL)).hasValueSatisfying(m -> assertThat(m).contains("spring.mail.host"));
    assertThat(providers.missing("fax")).as("no channel, nothing to configure").isEmpty();
  }

  @Test
  void inTheDevProfileAChannelWithoutAProviderWritesToTheFileOutbox() {
    ChannelProviders providers = new ChannelProviders(settings(Map.of("webhook.secret", "s")), false, true);

    for (Channel channel : Channel.values()) {
      assertThat(providers.route(channel)).as(channel.key()).isEqualTo(Route.FILE);
      assertThat(providers.missing(channel)).isEmpty();
    }
  }

  @Test
  void theFileOutboxNamedByPropertyServesOutsideDevToo() {
    ChannelProviders providers = new ChannelProviders(settings(Map.of("sms.provider", "file", "email.provider", "FILE")), false,
        false);

    assertThat(providers.route(Channel.SMS)).isEqualTo(Route.FILE);
    assertThat(providers.route(Channel.EMAIL)).isEqualTo(Route.FILE);
    assertThat(providers.route(Channel.PUSH)).isEqualTo(Route.NONE);
  }

  @Test
  void aUrlOrAnSmtpHostIsTheProviderEvenInDev() {
    ChannelProviders providers = new ChannelProviders(settings(Map.of("sms.url", "https://sms.example.com")), true, true);

    assertThat(providers.route(Channel.SMS)).isEqualTo(Route.PROVIDER);
    assertThat(providers.route(Channel.EMAIL)).isEqualTo(Route.PROVIDER);
    assertThat(providers.route(Channel.PUSH)).isEqualTo(Route.FILE);
  }

  @Test
  void webhooksWithoutTheirSigningSecretHaveNoProvider() {
    ChannelProviders providers = new ChannelProviders(settings(Map.of("webhook.url", "https://hooks.example.com")), false, false);

    assertThat(providers.route(Channel.WEBHOOK)).isEqualTo(Route.NONE);
    assertThat(providers.missing(Channel.WEBHOOK)).hasValueSatisfying(m -> assertThat(m).contains("overture.delivery.webhook.secret"));
  }

  @Test
  void aProviderNamedWithoutWhatItNeedsBesideAnotherOrAnUnknownOneStopsTheStart() {
    assertThatThrownBy(() -> new ChannelProviders(settings(Map.of("push.provider", "http")), false, true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("overture.delivery.push.provider").hasMessageContaining("overture.delivery.push.url");
    assertThatThrownBy(() -> new ChannelProviders(settings(Map.of("email.provider", "smtp")), false, false))
        .hasMessageContaining("spring.mail.host");
    assertThatThrownBy(() -> new ChannelProviders(settings(Map.of("sms.provider", "file", "sms.url", "https://sms.example.com")),
        false, false))
        .hasMessageContaining("overture.delivery.sms.provider").hasMessageContaining("overture.delivery.sms.url");
    assertThatThrownBy(() -> new ChannelProviders(settings(Map.of("sms.provider", "sinch")), false, false))
        .hasMessageContaining("overture.delivery.sms.provider").hasMessageContaining("'http', 'twilio' or 'file', not 'sinch'");
    assertThatThrownBy(() -> new ChannelProviders(settings(Map.of("sms.provider", "twilio")), false, false))
        .hasMessageContaining("overture.delivery.sms.provider").hasMessageContaining("overture.providers.twilio.account-sid");
    assertThatThrownBy(() -> new ChannelProviders(settings(Map.of("push.provider", "apns")), false, false))
        .hasMessageContaining("overture.providers.apns.team-id");
  }

  @Test
  void aChannelMayNameAProviderSpokenInItsOwnProtocol() {
    ProviderAdapterProperties adapters = new ProviderAdapterProperties(
        new ProviderAdapterProperties.Twilio("AC123", "token", "+15005550006", null, null),
        new ProviderAdapterProperties.Fcm("/etc/overture/fcm.json", null, null, null), null, null, null);

    ChannelProviders providers = new ChannelProviders(settings(Map.of("sms.provider", "twilio", "push.provider", "fcm",
        "webhook.url", "https://hooks.example.com", "webhook.secret", "s")), adapters, false, false);

    assertThat(providers.route(Channel.SMS)).isEqualTo(ChannelProviders.Route.PROVIDER);
    assertThat(providers.provider(Channel.SMS)).contains("twilio");
    assertThat(providers.provider(Channel.PUSH)).contains("fcm");
    assertThat(providers.provider(Channel.WEBHOOK)).contains("http");
    assertThat(providers.provider(Channel.EMAIL)).isEmpty();
  }

  /** {@code overture.delivery.*} as Spring binds it from these properties (names below overture.delivery). */
  static DeliveryProperties settings(Map<String, String> below) {
    Map<String, String> all = new java.util.HashMap<>();
    below.forEach((k, v) -> all.put("overture.delivery." + k, v));
    return new Binder(new MapConfigurationPropertySource(all)).bindOrCreate("overture.delivery", DeliveryProperties.class);
  }
}
