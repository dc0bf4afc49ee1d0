package dev.overture.delivery.internal;

import dev.overture.consent.Channel;
import dev.overture.delivery.Creative;
import dev.overture.delivery.Delivery;
import dev.overture.platform.Unprocessable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/**
 * Previews and test sends of a rendered creative. A preview is the rendering as it would go out
 * (tracking links, open pixel, unsubscribe link, the SMS opt-out line). A test send puts it, marked
 * {@code [TEST]}, through the channel's real provider to seed-list recipients only, outside the outbox:
 * no consent, cap or quiet hours apply, and its tracking links record nothing (ids start with {@code test-}).
 */
@Component
public class TestSends {

  private static final Logger log = LoggerFactory.getLogger(TestSends.class);
  private static final String ID_PREFIX = "test-";
  private static final String MARK = "[TEST] ";

  private final ChannelSenders senders;
  private final TestSendProperties props;
  private final JdbcClient jdbc;

  TestSends(ChannelSenders senders, TestSendProperties props, JdbcClient jdbc) {
    this.senders = senders;
    this.props = props;
    this.jdbc = jdbc;
  }

  /** One recipient of a test send and what happened. */
  public record TestDelivery(String id, String recipient, String status, @Nullable String reason) {}

  /** What a test send did: the message as it went out (marked, with its links) and one test delivery per recipient. */
  public record Sent(Creative.Rendered rendered, List<TestDelivery> deliveries) {}

  /** Ids of previews and test sends: their opens, clicks and unsubscribes count for nothing. */
  public static boolean isTest(String messageId) {
    return messageId != null && messageId.startsWith(ID_PREFIX);
  }

  /** The rendering as {@code profileId} would receive it, links and all. */
  public Creative.Rendered preview(Creative.Rendered r, String profileId, boolean marketing) {
    return senders.asSent(message(ID_PREFIX + "preview-" + UUID.randomUUID(), profileId, r), r, marketing);
  }

  /**
   * Sends the rendering to {@code to} (every seed of the channel when empty), each of which must be on the
   * seed list; one test delivery per recipient, recorded whether it went or failed.
   */
  public Sent send(Creative.Rendered r, String profileId, boolean marketing, List<String> to, String by) {
    Channel channel = Channel.fromKey(r.channel()).orElseThrow();
    if (channel != Channel.EMAIL && channel != Channel.SMS && channel != Channel.PUSH) {
      throw new Unprocessable("test-send-channel", "Test sends go out by email, SMS or push, not " + r.channel());
    }
    List<String> seeds = props.seeds(channel.key());
    if (seeds.isEmpty()) {
      throw new Unprocessable("no-seed-list", "No seed list for " + channel.key()
          + ": set overture.delivery.test-send.seed-list." + channel.key());
    }
    List<String> recipients = to == null || to.isEmpty() ? seeds : to;
    for (String recipient : recipients) {
      if (seeds.stream().noneMatch(s -> s.equalsIgnoreCase(recipient == null ? "" : recipient.trim()))) {
        throw new Unprocessable("not-on-seed-list", "'" + recipient + "' is not on the " + channel.key()
            + " seed list; test sends go only to overture.delivery.test-send.seed-list." + channel.key());
      }
    }
    Creative.Rendered marked = new Creative.Rendered(r.key(), r.channel(), r.version(), mark(r.subject()), r.text(), r.html(),
        mark(r.smsBody()), mark(r.pushTitle()), r.pushBody(), r.locale());
    List<TestDelivery> out = new ArrayList<>();
    for (String recipient : recipients) {
      String id = ID_PREFIX + UUID.randomUUID();
      Delivery d = message(id, profileId, marked);
      String status = Delivery.SENT;
      String reason = null;
      try {
        switch (channel) {
          case EMAIL -> senders.email(d, recipient.trim(), marked, marketing, false);
          case SMS -> senders.sms(d, recipient.trim(), marked, marketing, false);
          default -> senders.push(d, List.of(recipient.trim()), marked, false);
        }
      } catch (DeliveryException e) {
        log.warn("Test send {} of {} to a seed failed: {}", id, r.key(), e.getMessage());
        status = Delivery.FAILED;
        reason = e.getMessage();
      }
      jdbc.sql("""
              INSERT INTO test_delivery (id, creative_key, channel, creative_version, locale, profile_id, recipient, status, reason,
                  sent_by, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
          .params(id, r.key(), r.channel(), r.version(), r.locale(), profileId, recipient.trim(), status,
              reason == null || reason.length() <= 1000 ? reason : reason.substring(0, 1000), by, Timestamp.from(Instant.now()))
          .update();
      out.add(new TestDelivery(id, recipient.trim(), status, reason));
    }
    return new Sent(preview(marked, profileId, marketing), out);
  }

  /** Erasure: the profile's test deliveries go (they name the profile whose data was shown). */
  public int erase(String profileId) {
    return jdbc.sql("DELETE FROM test_delivery WHERE profile_id = ?").param(profileId).update();
  }

  private static String mark(String s) {
    return s == null ? null : MARK + s;
  }

  private static Delivery message(String id, String profileId, Creative.Rendered r) {
    Instant now = Instant.now();
    return new Delivery(id, profileId, r.channel(), null, r.key(), r.version(), null, null, null, Delivery.SENDING, null, null, 1,
        now, now, null, null, null, null);
  }
}
