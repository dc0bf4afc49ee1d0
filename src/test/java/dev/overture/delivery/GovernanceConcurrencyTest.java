package dev.overture.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.consent.Suppressions;
import dev.overture.delivery.internal.MessageDispatcher;
import dev.overture.support.TestMail;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Property-style: while consents and suppressions flip at random, many marketing emails dispatch
 * concurrently on the app's worker threads and on two extra "nodes" claiming from the same outbox.
 * Afterwards: every sent message rests on a granted consent entry, no profile exceeds its cap, an
 * address suppressed throughout got nothing, and nothing went out twice.
 */
class GovernanceConcurrencyTest extends DeliveryTestBase {

  private static final Logger log = LoggerFactory.getLogger(GovernanceConcurrencyTest.class);
  private static final int PROFILES = 8;
  private static final int MESSAGES_PER_PROFILE = 10;
  private static final int EMAIL_CAP = 3;

  @Autowired
  Consents consents;

  @Autowired
  Suppressions suppressions;

  @Autowired
  MessageDispatcher dispatcher;

  @Test
  void underRandomConsentAndSuppressionFlipsNoMessageBreaksConsentCapOrGoesTwice() throws Exception {
    long seed = System.nanoTime();
    log.info("GovernanceConcurrencyTest seed {}", seed);
    Random random = new Random(seed);
    String key = approvedCreative("storm");
    Map<String, String> emailOf = new HashMap<>();
    for (int i = 0; i < PROFILES; i++) {
      String email = uniqueEmail("storm" + i);
      String id = createProfile(email, "P" + i);
      consents.record(id, Channel.EMAIL, Purpose.MARKETING, true, "test", "test");
      emailOf.put(id, email);
    }
    List<String> ids = new ArrayList<>(emailOf.keySet());
    String alwaysSuppressed = ids.get(0);
    suppressions.suppress(Channel.EMAIL, emailOf.get(alwaysSuppressed), Suppressions.Reason.COMPLAINT, "test");
    List<String> outboxIds = new ArrayList<>();

    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Future<?> flipper = pool.submit(() -> {
        while (running.get()) {
          // profiles 1..3 keep their consent and address, so they meet their cap under full contention
          String id = ids.get(4 + random.nextInt(ids.size() - 4));
          switch (random.nextInt(3)) {
            case 0 -> consents.record(id, Channel.EMAIL, Purpose.MARKETING, random.nextBoolean(), "flip", "test");
            case 1 -> suppressions.suppress(Channel.EMAIL, emailOf.get(id), Suppressions.Reason.MANUAL, "flip");
            default -> suppressions.remove(Channel.EMAIL, emailOf.get(id));
          }
        }
        return null;
      });
      List<Future<?>> nodes = new ArrayList<>();
      for (int n = 0; n < 2; n++) {
        nodes.add(pool.submit(() -> {
          while (running.get()) {
            outbox.claimDue(3, Duration.ofMinutes(2)).forEach(dispatcher::dispatch);
          }
          return null;
        }));
      }
      // profile by profile, so concurrent claims hold several messages of one profile and race for its cap
      for (String id : ids) {
        for (int m = 0; m < MESSAGES_PER_PROFILE; m++) {
          outboxIds.add(send(id, Channel.EMAIL, Purpose.MARKETING, key));
        }
      }
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> jdbc.sql(
              "SELECT COUNT(*) FROM outbox_message WHERE id IN (:ids) AND status IN ('pending', 'sending')")
          .param("ids", outboxIds).query(Integer.class).single() == 0);
      running.set(false);
      flipper.get(10, TimeUnit.SECONDS);
      for (Future<?> node : nodes) {
        node.get(10, TimeUnit.SECONDS);
      }
    } finally {
      running.set(false);
      pool.shutdownNow();
    }

    List<Delivery> all = outboxIds.stream().map(id -> deliveries.find(id).orElseThrow()).toList();
    List<Delivery> sent = all.stream().filter(d -> d.status().equals("sent")).toList();
    log.info("{} messages: {} sent, the rest suppressed", all.size(), sent.size());
    assertThat(all).allSatisfy(d -> assertThat(d.status()).isIn("sent", "suppressed"));
    assertThat(sent).as("some messages got through the storm").isNotEmpty();

    for (Delivery d : sent) {
      Long entry = jdbc.sql("SELECT consent_entry_id FROM outbox_message WHERE id = ?").param(d.id()).query(Long.class).single();
      assertThat(entry).as("sent message %s names its consent", d.id()).isNotNull();
      Map<String, Object> consent = jdbc.sql("SELECT profile_id, channel, purpose, status FROM consent_entry WHERE id = ?")
          .param(entry).query().singleRow();
      assertThat(consent).containsEntry("profile_id", d.profileId()).containsEntry("channel", "email")
          .containsEntry("purpose", "marketing").containsEntry("status", "granted");
    }
    Map<String, Long> perProfile = new HashMap<>();
    sent.forEach(d -> perProfile.merge(d.profileId(), 1L, Long::sum));
    assertThat(perProfile.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(EMAIL_CAP));
    assertThat(perProfile).doesNotContainKey(alwaysSuppressed);
    assertThat(List.of(ids.get(1), ids.get(2), ids.get(3))).allSatisfy(id -> assertThat(perProfile.get(id)).isEqualTo(EMAIL_CAP));

    await().atMost(Duration.ofSeconds(10)).until(() -> received(emailOf.values()).size() == sent.size());
    List<String> messageIds = received(emailOf.values());
    assertThat(new HashSet<>(messageIds)).as("no message twice").hasSameSizeAs(messageIds);
    assertThat(new HashSet<>(messageIds)).isEqualTo(sentMessageIds(sent));
  }

  private static List<String> received(java.util.Collection<String> addresses) throws Exception {
    List<String> ids = new ArrayList<>();
    for (String address : addresses) {
      for (MimeMessage m : TestMail.to(address)) {
        ids.add(m.getHeader("Message-ID")[0]);
      }
    }
    return ids;
  }

  private static Set<String> sentMessageIds(List<Delivery> sent) {
    Set<String> ids = new HashSet<>();
    sent.forEach(d -> ids.add("<" + d.id() + "@overture>"));
    return ids;
  }
}
