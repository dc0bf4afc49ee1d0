package dev.overture.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.profile.Profiles;
import dev.overture.support.TestMail;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Revocations over the API race a dispatch of marketing emails to the real SMTP server (GreenMail): once
 * {@code PUT .../consents/email} with {@code revoked} has answered, no email for that profile may reach the
 * server. Each revocation goes out as soon as its message is claimed, when the dispatcher has read consent
 * for its batch but may not have sent it yet. Each message's arrival is taken at the server, each answer at
 * the client, on one clock.
 */
class RevocationRaceTest extends DeliveryTestBase {

  private static final Logger log = LoggerFactory.getLogger(RevocationRaceTest.class);
  private static final int PROFILES = 400;
  private static final int CLIENTS = 8;

  @Autowired
  Profiles profiles;

  @Autowired
  Consents consents;

  @Autowired
  TransactionTemplate tx;

  @Test
  void noEmailReachesTheServerAfterTheRevocationOfItsProfileWasAnswered() throws Exception {
    String key = approvedCreative("race");
    List<String> ids = new ArrayList<>();
    Map<String, String> emailOf = new ConcurrentHashMap<>();
    // the setup through the facades: what is raced is the dispatch against the API's revocations
    for (int i = 0; i < PROFILES; i++) {
      String email = uniqueEmail("race" + i);
      String id = profiles.upsert(Map.of("email", email), Map.of("firstName", "R" + i)).profile().id();
      consents.record(id, Channel.EMAIL, Purpose.MARKETING, true, "test", "test");
      ids.add(id);
      emailOf.put(id, email);
    }
    List<String> outboxIds = new ArrayList<>();
    tx.executeWithoutResult(s -> ids.forEach(id -> outboxIds.add(send(id, Channel.EMAIL, Purpose.MARKETING, key))));

    // every other profile, in the order their messages were queued, while the dispatcher works through them
    List<String> revoked = new ArrayList<>();
    Map<String, String> messageOf = new ConcurrentHashMap<>();
    for (int i = 0; i < ids.size(); i += 2) {
      revoked.add(ids.get(i));
      messageOf.put(ids.get(i), outboxIds.get(i));
    }
    Map<String, Instant> answeredAt = new ConcurrentHashMap<>();
    List<Long> answerMillis = Collections.synchronizedList(new ArrayList<>());
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (String id : revoked) {
        calls.add(clients.submit(() -> {
          // the narrowest gap: the message is claimed (its batch's consent read), but perhaps not sent yet
          await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(5))
              .until(() -> !"pending".equals(deliveries.find(messageOf.get(id)).orElseThrow().status()));
          long asked = System.nanoTime();
          api().body(Map.of("purpose", "marketing", "status", "revoked", "source", "race"))
              .put("/api/profiles/{id}/consents/email", id)
              .then().statusCode(200);
          answeredAt.put(id, Instant.now());
          answerMillis.add((System.nanoTime() - asked) / 1_000_000);
        }));
      }
      for (Future<?> call : calls) {
        call.get();
      }
    } finally {
      clients.shutdownNow();
    }

    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> jdbc.sql(
            "SELECT COUNT(*) FROM outbox_message WHERE id IN (:ids) AND status IN ('pending', 'sending')")
        .param("ids", outboxIds).query(Integer.class).single() == 0);
    int sent = jdbc.sql("SELECT COUNT(*) FROM outbox_message WHERE id IN (:ids) AND status = 'sent'")
        .param("ids", outboxIds).query(Integer.class).single();
    await().atMost(Duration.ofSeconds(20))
        .until(() -> ids.stream().mapToInt(id -> TestMail.arrivals(emailOf.get(id)).size()).sum() == sent);

    List<String> late = new ArrayList<>();
    int before = 0;
    for (String id : revoked) {
      for (Instant arrival : TestMail.arrivals(emailOf.get(id))) {
        if (arrival.isAfter(answeredAt.get(id))) {
          late.add(id + " arrived " + Duration.between(answeredAt.get(id), arrival).toMillis() + " ms after the answer");
        } else {
          before++;
        }
      }
    }
    List<Long> sorted = answerMillis.stream().sorted().toList();
    log.info("{} emails, {} revocations: {} sent, {} to revoked profiles before their answer, {} after; revocations answered"
            + " in {} ms (median), {} ms (p90), {} ms (max)", PROFILES, revoked.size(), sent, before, late.size(),
        sorted.get(sorted.size() / 2), sorted.get(sorted.size() * 9 / 10), sorted.get(sorted.size() - 1));
    assertThat(late).as("emails that reached the SMTP server after their revocation was answered").isEmpty();
    assertThat(sent).as("every profile that kept its consent got its email").isGreaterThanOrEqualTo(PROFILES - revoked.size());
  }
}
