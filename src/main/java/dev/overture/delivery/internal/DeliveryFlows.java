package dev.overture.delivery.internal;

import dev.overture.delivery.Delivery;
import java.nio.file.Path;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.Pollers;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * The dispatcher as Spring Integration flows: a poller claims due outbox rows, a router sends each
 * to its channel's flow. One named flow per channel.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryFlows {

  static final String POLLER_ID = "outboxPoller";

  /** Claims due outbox rows and routes each to the flow of its channel. */
  @Bean
  IntegrationFlow outboxDispatch(Outbox outbox, DeliveryProperties props) {
    return IntegrationFlow
        .fromSupplier(() -> {
          List<Delivery> batch = outbox.claimDue(props.batchSize(), props.claimLease());
          return batch.isEmpty() ? null : batch;
        }, e -> e.id(POLLER_ID).poller(Pollers.fixedDelay(props.pollInterval()).maxMessagesPerPoll(1)))
        .split()
        .<Delivery, String>route(Delivery::channel, r -> r
            .id("channelRouter")
            .channelMapping("email", "emailDelivery.input")
            .defaultOutputChannel("unsupportedChannelDelivery.input"))
        .get();
  }

  /** Email: consent at send time, render, SMTP or file outbox. */
  @Bean
  IntegrationFlow emailDelivery(EmailDispatcher dispatcher) {
    return f -> f.handle(Delivery.class, (message, headers) -> {
      dispatcher.dispatch(message);
      return null;
    }, e -> e.id("emailSend"));
  }

  /** Channels without a provider flow yet fail visibly instead of waiting forever. */
  @Bean
  IntegrationFlow unsupportedChannelDelivery(Outbox outbox) {
    return f -> f.handle(Delivery.class, (message, headers) -> {
      outbox.finish(message.id(), Delivery.FAILED, "no delivery flow for channel '" + message.channel() + "' yet", null, null);
      return null;
    }, e -> e.id("unsupportedChannelSend"));
  }

  /** SMTP when {@code spring.mail.host} is set (Boot then creates the mail sender), else {@code .eml} files. */
  @Bean
  EmailSender emailSender(ObjectProvider<JavaMailSenderImpl> smtp, DeliveryProperties props) {
    JavaMailSenderImpl mail = smtp.getIfAvailable();
    return mail == null ? new FileOutboxEmailSender(Path.of(props.outboxDir())) : new SmtpEmailSender(mail);
  }
}
