package dev.overture.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.overture.support.AppProcess;
import dev.overture.support.Audiences;
import dev.overture.support.ProcessTestDatabase;
import dev.overture.support.StandaloneApps;
import dev.overture.support.TestMail;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two app processes on one MariaDB, as two replicas run: an audience enrolled through one of them
 * enters the welcome journey once per member, each member gets one welcome email, and purchases posted
 * to either node end exactly the journeys of the buyers, with no incident left behind.
 */
@Tag(StandaloneApps.TAG)
class TwoNodesOneDatabaseTest {

  private static final String COHORT_IDS = "SELECT id FROM profile WHERE JSON_VALUE(attributes, '$.cohort') = ?";
  private static final String IN_COHORT = "profile_id IN (" + COHORT_IDS + ")";
  private static final int AUDIENCE = 400;
  private static final String COHORT = "twonodes";
  private static final String[] NODE = {"--overture.enrollment.chunk-size=50", "--overture.enrollment.poll-interval=200ms",
      "--overture.delivery.poll-interval=200ms"};

  @Test
  void anAudienceOnTwoNodesGetsOneWelcomeEmailEachAndThePurchasesEndTheirJourneys() throws Exception {
    String url = ProcessTestDatabase.url();
    JdbcClient jdbc = ProcessTestDatabase.jdbc();
    try (AppProcess a = AppProcess.start("two-nodes-a", url, NODE)) {
      // the first node has made the schema; the second starts while the first takes the audience in
      CompletableFuture<AppProcess> starting = CompletableFuture.supplyAsync(() -> AppProcess.start("two-nodes-b", url, NODE));
      List<String> members = Audiences.create(a, jdbc, COHORT, AUDIENCE);
      try (AppProcess b = starting.join()) {
        String enrollment = Audiences.enroll(a, "welcome", COHORT);
        await().atMost(Duration.ofSeconds(90)).until(() -> "completed".equals(
            b.api().get("/api/enrollments/{id}", enrollment).then().statusCode(200).extract().path("status")));
        await().atMost(Duration.ofSeconds(30)).until(() -> waitingAtTheGateway(jdbc), equalTo((long) AUDIENCE));

        List<String> buyers = members.subList(0, AUDIENCE / 2);
        purchases(a, buyers.subList(0, buyers.size() / 2));
        purchases(b, buyers.subList(buyers.size() / 2, buyers.size()));

        await().atMost(Duration.ofSeconds(60)).until(() -> endedByPurchase(jdbc).size(), equalTo(buyers.size()));
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.sql("SELECT COUNT(*) FROM outbox_message WHERE creative_key = 'welcome' "
            + "AND status = 'sent' AND " + IN_COHORT).param(COHORT).query(Long.class).single() == AUDIENCE);
        assertThat(endedByPurchase(jdbc)).as("the buyers' journeys ended at the goal").containsExactlyInAnyOrderElementsOf(buyers);
        assertThat(waitingAtTheGateway(jdbc)).as("the others still wait for a purchase").isEqualTo(AUDIENCE - buyers.size());
      }
    }
    assertThat(jdbc.sql("SELECT COUNT(*) FROM ACT_RU_INCIDENT").query(Long.class).single()).as("incidents").isZero();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM journey_entry WHERE journey_key = 'welcome' AND " + IN_COHORT)
        .param(COHORT).query(Long.class).single())
        .as("one entry per member").isEqualTo(AUDIENCE);
    Map<String, Long> emailsPerMember = welcomeEmails().stream()
        .collect(Collectors.groupingBy(TwoNodesOneDatabaseTest::recipient, Collectors.counting()));
    assertThat(emailsPerMember).as("one welcome email per member").hasSize(AUDIENCE).allSatisfy((to, n) -> assertThat(n).isEqualTo(1));
    assertThat(emailsPerMember.keySet()).contains(Audiences.email(COHORT, 0), Audiences.email(COHORT, AUDIENCE - 1));
  }

  private static void purchases(AppProcess node, List<String> buyers) {
    List<Map<String, Object>> events = new ArrayList<>();
    for (String profileId : buyers) {
      events.add(Map.of("eventId", UUID.randomUUID().toString(), "type", "purchase.completed", "profileId", profileId));
    }
    node.api().body(Map.of("events", events)).post("/api/events/batch").then().statusCode(202);
  }

  private static long waitingAtTheGateway(JdbcClient jdbc) {
    return jdbc.sql("""
            SELECT COUNT(*) FROM ACT_RU_EXECUTION e JOIN ACT_RU_EXECUTION i ON e.PROC_INST_ID_ = i.ID_
            JOIN ACT_RE_PROCDEF d ON e.PROC_DEF_ID_ = d.ID_
            WHERE d.KEY_ = 'welcome' AND e.ACT_ID_ = 'Gateway_PurchaseOrTimeout' AND i.BUSINESS_KEY_ IN (%s)""".formatted(COHORT_IDS))
        .param(COHORT).query(Long.class).single();
  }

  private static List<String> endedByPurchase(JdbcClient jdbc) {
    return jdbc.sql("""
            SELECT r.profile_id FROM journey_run r
            WHERE r.journey_key = 'welcome' AND r.end_element_id = 'EndEvent_Purchased' AND r.ended_at IS NOT NULL
            AND r.profile_id IN (%s)""".formatted(COHORT_IDS))
        .param(COHORT).query(String.class).list();
  }

  private static List<MimeMessage> welcomeEmails() {
    return Arrays.stream(TestMail.server().getReceivedMessages()).filter(m -> recipient(m).startsWith(COHORT + "-")).toList();
  }

  private static String recipient(MimeMessage m) {
    try {
      String to = m.getHeader("To", ",");
      return to == null ? "" : to;
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
