package dev.overture.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.event.internal.EventsProperties;
import dev.overture.support.AppTestBase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;

/** The AMQP inbound on the real RabbitMQ at 127.0.0.1:5672; this context's queues have unique names. */
class AmqpInboundTest extends AppTestBase {

  @Autowired RabbitTemplate rabbit;
  @Autowired EventsProperties props;
  @Autowired Events events;

  private void publish(String body) {
    MessageProperties mp = new MessageProperties();
    mp.setContentType("application/json");
    rabbit.send("", props.amqp().queue(), new Message(body.getBytes(StandardCharsets.UTF_8), mp));
  }

  @Test
  void eventFromTheQueueIsStoredLikeOneFromRest() {
    String eventId = UUID.randomUUID().toString();
    String anon = "anon-" + UUID.randomUUID();
    publish("{\"eventId\":\"" + eventId + "\",\"type\":\"app.opened\",\"identities\":{\"anonymousId\":\"" + anon + "\"}}");

    await().atMost(Duration.ofSeconds(10)).until(() -> events.exists(eventId));
  }

  @Test
  void poisonMessagesGoToTheDeadLetterQueueWithTheReasonAndConsumptionGoesOn() {
    String marker = UUID.randomUUID().toString();
    String missingIdentity = UUID.randomUUID().toString();
    publish("this is not json " + marker);
    publish("{\"eventId\":\"" + missingIdentity + "\",\"type\":\"app.opened\"}");
    String good = UUID.randomUUID().toString();
    publish("{\"eventId\":\"" + good + "\",\"type\":\"app.opened\",\"identities\":{\"anonymousId\":\"a-" + good + "\"}}");

    await().atMost(Duration.ofSeconds(10)).until(() -> events.exists(good));
    AtomicReference<Message> notJson = new AtomicReference<>();
    AtomicReference<Message> invalid = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      Message m = rabbit.receive(props.amqp().deadLetterQueue());
      if (m != null) {
        String body = new String(m.getBody(), StandardCharsets.UTF_8);
        if (body.contains(marker)) {
          notJson.set(m);
        } else if (body.contains(missingIdentity)) {
          invalid.set(m);
        }
      }
      return notJson.get() != null && invalid.get() != null;
    });
    assertThat((String) notJson.get().getMessageProperties().getHeader("x-overture-reason")).contains("not event JSON");
    assertThat((String) invalid.get().getMessageProperties().getHeader("x-overture-reason")).contains("missing-identity").contains("profileId or identities");
    assertThat(events.exists(missingIdentity)).isFalse();
  }
}
