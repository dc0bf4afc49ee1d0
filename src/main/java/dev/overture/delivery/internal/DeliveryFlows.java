package dev.overture.delivery.internal;

import dev.overture.consent.Channel;
import dev.overture.delivery.ChannelProviders;
import dev.overture.delivery.Deliveries;
import dev.overture.delivery.Delivery;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.MessageChannels;
import org.springframework.integration.dsl.Pollers;
import org.springframework.integration.dsl.RouterSpec;
import org.springframework.integration.router.MethodInvokingRouter;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The dispatcher as Spring Integration flows: a poller claims due outbox rows (as many as the
 * worker threads can take), hands them to {@code overture.delivery.threads} workers, and a router
 * sends each to its channel's flow: emailDelivery, smsDelivery, pushDelivery, webhookDelivery,
 * audienceDelivery; preferredDelivery resolves the channel first.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryFlows {

  static final String POLLER_ID = "outboxPoller";

  /**
   * In-flight messages on this node: the poller claims only what the workers can take soon, so no
   * claim outlives its lease in a queue; room for two batches, so a claim can take a whole batch while
   * the workers still send the last one (a claim is a transaction: one per message would be the limit).
   */
  @Bean
  Semaphore deliveryCapacity(DeliveryProperties props) {
    return new Semaphore(capacityOf(props));
  }

  private static int capacityOf(DeliveryProperties props) {
    return Math.max(props.threads() * 2, props.batchSize() * 2);
  }

  @Bean
  ThreadPoolTaskExecutor deliveryWorkers(DeliveryProperties props) {
    ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
    executor.setCorePoolSize(props.threads());
    executor.setMaxPoolSize(props.threads());
    executor.setQueueCapacity(capacityOf(props) + props.batchSize());
    executor.setThreadNamePrefix("delivery-");
    executor.setWaitForTasksToCompleteOnShutdown(true);
    executor.setAwaitTerminationSeconds(20);
    return executor;
  }

  /** One claimed message with the governance reads of its batch. */
  record Dispatch(Delivery delivery, DispatchLookups.Reads reads) {
    String channel() {
      return delivery.channel();
    }
  }

  /** Claims due outbox rows, reads their batch's governance data at once, and routes each to the flow of its channel. */
  @Bean
  IntegrationFlow outboxDispatch(OutboxClaims outbox, MessageDispatcher dispatcher, DeliveryProperties props, Semaphore deliveryCapacity,
      ThreadPoolTaskExecutor deliveryWorkers) {
    return IntegrationFlow
        .fromSupplier(() -> claim(outbox, dispatcher, props, deliveryCapacity),
            e -> e.id(POLLER_ID).poller(Pollers.fixedDelay(props.pollInterval()).maxMessagesPerPoll(-1)))
        .split()
        .channel(MessageChannels.executor("deliveryWorkerChannel", deliveryWorkers))
        .route(Dispatch.class, Dispatch::channel, DeliveryFlows::channelMappings)
        .get();
  }

  private static List<Dispatch> claim(OutboxClaims outbox, MessageDispatcher dispatcher, DeliveryProperties props, Semaphore capacity) {
    int permits;
    try {
      // claim a whole batch as soon as the workers have room for one (they still have the other batch to send),
      // rather than a few rows whenever one finishes: a claim is a transaction, and so are its reads. While
      // no batch fits, wait for one rather than ending the poll and sleeping a poll interval; after the wait,
      // take what room there is, so a slow provider's last rows do not wait for a whole batch.
      long wait = Math.max(props.pollInterval().toMillis(), 1000);
      int batch = Math.min(props.batchSize(), capacityOf(props));
      permits = capacity.tryAcquire(batch, wait, TimeUnit.MILLISECONDS) ? batch : capacity.drainPermits();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    int wanted = Math.min(permits, props.batchSize());
    capacity.release(permits - wanted);
    if (wanted == 0) {
      return null;
    }
    List<Delivery> batch = List.of();
    try {
      batch = outbox.claimDue(wanted, props.claimLease());
    } finally {
      capacity.release(wanted - batch.size());
    }
    if (batch.isEmpty()) {
      return null;
    }
    try {
      DispatchLookups.Reads reads = dispatcher.readsFor(batch);
      return batch.stream().map(d -> new Dispatch(d, reads)).toList();
    } catch (RuntimeException e) {
      // the rows stay claimed and are due again when the claim expires
      capacity.release(batch.size());
      throw e;
    }
  }

  private static void channelMappings(RouterSpec<String, MethodInvokingRouter> r) {
    r.channelMapping("email", "emailDelivery.input")
        .channelMapping("sms", "smsDelivery.input")
        .channelMapping("push", "pushDelivery.input")
        .channelMapping("webhook", "webhookDelivery.input")
        .channelMapping("audience", "audienceDelivery.input")
        .channelMapping(Deliveries.PREFERRED, "preferredDelivery.input")
        .defaultOutputChannel("unsupportedChannelDelivery.input");
  }

  /** Email: SMTP (or .eml files where named), HTML + text, one-click List-Unsubscribe, tracked links. */
  @Bean
  IntegrationFlow emailDelivery(MessageDispatcher dispatcher, Semaphore deliveryCapacity) {
    return send("emailSend", dispatcher, deliveryCapacity);
  }

  /** SMS: JSON to the HTTP provider ({@code overture.delivery.sms.url}) or, where named, the file outbox. */
  @Bean
  IntegrationFlow smsDelivery(MessageDispatcher dispatcher, Semaphore deliveryCapacity) {
    return send("smsSend", dispatcher, deliveryCapacity);
  }

  /** Push: the profile's device tokens to the HTTP provider ({@code overture.delivery.push.url}). */
  @Bean
  IntegrationFlow pushDelivery(MessageDispatcher dispatcher, Semaphore deliveryCapacity) {
    return send("pushSend", dispatcher, deliveryCapacity);
  }

  /** Webhook: HMAC-SHA256 signed POST with a timestamp ({@code overture.delivery.webhook.*}). */
  @Bean
  IntegrationFlow webhookDelivery(MessageDispatcher dispatcher, Semaphore deliveryCapacity) {
    return send("webhookSend", dispatcher, deliveryCapacity);
  }

  /** Ad audience: add or remove SHA-256 hashed email/phone ({@code overture.delivery.audience.url}). */
  @Bean
  IntegrationFlow audienceDelivery(MessageDispatcher dispatcher, Semaphore deliveryCapacity) {
    return send("audienceSend", dispatcher, deliveryCapacity);
  }

  /** Preferred channel: picks the first reachable channel, then routes to its flow. */
  @Bean
  IntegrationFlow preferredDelivery(MessageDispatcher dispatcher, Semaphore deliveryCapacity) {
    return f -> f
        .handle(Dispatch.class, (message, headers) -> {
          try {
            Delivery resolved = dispatcher.resolvePreferred(message.delivery(), message.reads());
            if (resolved == null) {
              deliveryCapacity.release();
              return null;
            }
            return new Dispatch(resolved, message.reads());
          } catch (RuntimeException e) {
            deliveryCapacity.release();
            throw e;
          }
        }, e -> e.id("preferredChannelResolution"))
        .route(Dispatch.class, Dispatch::channel, DeliveryFlows::channelMappings);
  }

  /** Channels without a provider flow fail visibly instead of waiting forever. */
  @Bean
  IntegrationFlow unsupportedChannelDelivery(MessageDispatcher dispatcher, Semaphore deliveryCapacity) {
    return send("unsupportedChannelSend", dispatcher, deliveryCapacity);
  }

  private static IntegrationFlow send(String endpointId, MessageDispatcher dispatcher, Semaphore capacity) {
    return f -> f.handle(Dispatch.class, (message, headers) -> {
      try {
        dispatcher.dispatch(message.delivery(), message.reads());
      } finally {
        capacity.release();
      }
      return null;
    }, e -> e.id(endpointId));
  }

  /**
   * SMTP when {@code spring.mail.host} is set (Boot then creates the mail sender), {@code .eml} files where the
   * email channel is routed to the file outbox, else a sender that fails each message naming what to configure.
   */
  @Bean
  EmailSender emailSender(ObjectProvider<JavaMailSenderImpl> smtp, DeliveryProperties props, ChannelProviders providers) {
    return switch (providers.route(Channel.EMAIL)) {
      case PROVIDER -> new SmtpEmailSender(smtp.getObject());
      case FILE -> new FileOutboxEmailSender(Path.of(props.outboxDir()));
      case NONE -> email -> {
        throw new DeliveryException(providers.missing(Channel.EMAIL).orElse("email has no provider"), false, null);
      };
    };
  }
}
