package dev.overture.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.support.AppProcess;
import dev.overture.support.Audiences;
import dev.overture.support.ProcessMail;
import dev.overture.support.ProcessTestDatabase;
import dev.overture.support.StandaloneApps;
import dev.overture.support.TestMail;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The app as a process of its own, killed with SIGKILL while it dispatches 500 welcome emails to the
 * test's GreenMail, then started again on the same database: every email arrives, under its outbox id
 * as Message-ID, and only a message that was in flight at the kill can arrive twice (SMTP cannot tell
 * "accepted" from "lost" to a sender that died before recording it: docs/decisions.md).
 */
@Tag(StandaloneApps.TAG)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(StandaloneApps.APP_PROCESSES)
class DispatchCrashTest {

  private static final Logger log = LoggerFactory.getLogger(DispatchCrashTest.class);
  /** The ids of the cohort's welcome emails in the outbox. */
  private static final String WELCOME_ROWS = "SELECT id FROM outbox_message WHERE creative_key = 'welcome' "
      + "AND profile_id IN (SELECT id FROM profile WHERE JSON_VALUE(attributes, '$.cohort') = ?)";
  private static final int AUDIENCE = 500;
  private static final String COHORT = "crash";
  // a claim left by the killed app expires soon, so the restarted one sends its rows again within seconds
  private static final String SHORT_CLAIM = "--overture.delivery.claim-lease=5s";

  @Test
  void emailsInFlightWhenTheAppIsKilledArriveAfterTheRestartEachUnderItsOwnMessageId() throws Exception {
    String url = ProcessTestDatabase.url();
    JdbcClient jdbc = ProcessTestDatabase.jdbc();
    int receivedAtKill;
    Set<String> inFlightAtKill;
    // 5 emails a second: the 500 take 100 s, so the kill finds most of them queued or in flight even where
    // the enrollment of the 500 takes half a minute (at 20 a second a slow machine sent 448 before the last
    // row was written); claims of 5 (10 rows in flight, two seconds' sending) stay inside the short lease
    try (AppProcess first = AppProcess.start("dispatch-crash-1", url, SHORT_CLAIM, "--overture.delivery.email.rate-per-second=5",
        "--overture.delivery.batch-size=5", "--overture.enrollment.chunk-size=100", "--overture.enrollment.poll-interval=200ms")) {
      Audiences.create(first, jdbc, COHORT, AUDIENCE);
      Audiences.enroll(first, "welcome", COHORT);
      await().atMost(Duration.ofSeconds(90)).until(() -> welcomeRows(jdbc) == AUDIENCE && received().size() >= 20);
      first.kill();
      receivedAtKill = received().size();
      inFlightAtKill = new HashSet<>(jdbc.sql(WELCOME_ROWS + " AND status = 'sending'").param(COHORT)
          .query(String.class).list());
    }
    assertThat(receivedAtKill).as("killed in the middle of the dispatch").isLessThan(AUDIENCE - 100);
    log.info("Killed with {} of {} emails received, {} rows claimed", receivedAtKill, AUDIENCE, inFlightAtKill.size());

    try (AppProcess second = AppProcess.start("dispatch-crash-2", url, SHORT_CLAIM)) {
      await().atMost(Duration.ofSeconds(90)).until(() -> jdbc.sql(WELCOME_ROWS + " AND status = 'sent'").param(COHORT)
          .query(String.class).list().size() == AUDIENCE);
    }

    Map<String, Long> copies = received().stream().collect(Collectors.groupingBy(DispatchCrashTest::messageId, Collectors.counting()));
    Set<String> expected = jdbc.sql(WELCOME_ROWS).param(COHORT).query(String.class).list().stream()
        .map(id -> "<" + id + "@overture>").collect(Collectors.toSet());
    assertThat(copies.keySet()).as("each email arrived, under its outbox id").hasSize(AUDIENCE).isEqualTo(expected);
    Set<String> twice = copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).collect(Collectors.toSet());
    log.info("After the restart: {} distinct Message-IDs, {} received twice (of {} in flight at the kill)",
        copies.size(), twice.size(), inFlightAtKill.size());
    assertThat(twice).as("only an email in flight at the kill arrives twice, and never more than twice")
        .allSatisfy(id -> assertThat(inFlightAtKill).contains(id.substring(1, id.indexOf('@'))));
    assertThat(copies.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2));
  }

  private static long welcomeRows(JdbcClient jdbc) {
    return jdbc.sql(WELCOME_ROWS).param(COHORT).query(String.class).list().size();
  }

  private static List<MimeMessage> received() {
    return ProcessMail.received().stream().filter(m -> recipient(m).startsWith(COHORT + "-")).toList();
  }

  private static String recipient(MimeMessage m) {
    return TestMail.header(m, "To");
  }

  private static String messageId(MimeMessage m) {
    return TestMail.header(m, "Message-ID");
  }
}
