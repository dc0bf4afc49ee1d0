package dev.overture.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overture.consent.Channel;
import dev.overture.delivery.ChannelProviders;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Outside the dev profile a message on a channel without a provider fails for good, naming the property to set,
 * instead of landing in the file outbox as "sent"; a test profile's message and a channel named {@code file} still go there.
 */
class UnconfiguredChannelTest {

  @TempDir
  Path outbox;

  @Test
  void anSmsWithoutAProviderFailsNamingItsUrlAndWritesNoFile() {
    DeliveryProperties props = settings(Map.of());
    HttpProvider http = new HttpProvider(props, new ChannelProviders(props, true, false));

    assertThatThrownBy(() -> http.post(Channel.SMS, props.sms(), false, "outbox-1", "{}", Map.of()))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isTransient()).as("retrying would not help").isFalse())
        .hasMessageContaining("sms has no provider").hasMessageContaining("overture.delivery.sms.url");
    assertThat(outbox.resolve("sms")).doesNotExist();
  }

  @Test
  void aTestProfilesSmsAndAChannelNamedFileStillGoToTheFileOutbox() throws DeliveryException {
    DeliveryProperties props = settings(Map.of("overture.delivery.push.provider", "file"));
    HttpProvider http = new HttpProvider(props, new ChannelProviders(props, true, false));

    http.post(Channel.SMS, props.sms(), true, "outbox-2", "{\"to\":\"+4915100000000\"}", Map.of());
    http.post(Channel.PUSH, props.push(), false, "outbox-3", "{\"tokens\":[\"t\"]}", Map.of());

    assertThat(outbox.resolve("sms/outbox-2.json")).content().contains("Idempotency-Key: outbox-2");
    assertThat(outbox.resolve("push/outbox-3.json")).exists();
  }

  @Test
  void anEmailWithoutSmtpFailsNamingSpringMailHost() {
    DeliveryProperties props = settings(Map.of());
    EmailSender sender = new DeliveryFlows().emailSender(new StaticListableBeanFactory().getBeanProvider(JavaMailSenderImpl.class),
        props, new ChannelProviders(props, false, false));

    assertThatThrownBy(() -> sender.send(new OutboundEmail("outbox-4", "from@example.com", "ada@example.com", "Hi", "Hi", null)))
        .isInstanceOf(DeliveryException.class).hasMessageContaining("spring.mail.host");
    assertThat(outbox.resolve("outbox-4.eml")).doesNotExist();
  }

  private DeliveryProperties settings(Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("overture.delivery.outbox-dir", outbox.toString());
    return new Binder(new MapConfigurationPropertySource(all)).bindOrCreate("overture.delivery", DeliveryProperties.class);
  }
}
