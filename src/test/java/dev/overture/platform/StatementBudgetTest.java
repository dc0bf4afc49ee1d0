package dev.overture.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.enrollment.internal.EnrollmentChunks;
import dev.overture.enrollment.internal.EnrollmentProperties;
import dev.overture.enrollment.internal.EnrollmentWorker;
import dev.overture.event.internal.CorrelationWorkers;
import dev.overture.event.internal.EventCorrelator;
import dev.overture.platform.StatementBudgets.Cost;
import dev.overture.support.AppTestBase;
import dev.overture.support.Audiences;
import dev.overture.support.StatementCounting;
import dev.overture.support.StatementCounting.Recording;
import dev.overture.support.TestMail;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.integration.endpoint.SourcePollingChannelAdapter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.messaging.Message;

/**
 * What each unit of work of the real-time core costs in SQL statements, counted at the JDBC layer
 * ({@link StatementCounting}: our statements and Camunda's, each entry of a JDBC batch one statement, commits apart),
 * against the budgets in {@code src/test/resources/statement-budgets.properties}. A count does not move with the
 * machine, so it holds where a timed test cannot: the test fails when a unit goes over its budget, and always writes
 * the counts, with the statements of each unit, to {@code target/statement-budgets.txt}.
 *
 * <p>Each unit is driven so that only its own statements are counted: the threads that do it are named (the request
 * thread, the event writer, the delivery threads), and where the app does the unit on a background thread that also
 * polls while idle, that thread is stopped and the test thread calls what it calls (the correlation worker's
 * {@link EventCorrelator#correlateAll}, the enrollment worker's {@link EnrollmentChunks#run}, the outbox poller's
 * claim). Each unit runs once unmeasured first, so the engine's and our caches hold what a running node's do.
 * Statements that a clock rations rather than the work ({@link #TIME_BASED}) are shown but not counted.
 */
class StatementBudgetTest extends AppTestBase {

  private static final Logger log = LoggerFactory.getLogger(StatementBudgetTest.class);
  private static final Path REPORT = Path.of("target/statement-budgets.txt");
  private static final Predicate<String> REQUEST = t -> t.startsWith("http-nio-");
  private static final Predicate<String> EVENT_WRITER = "event-writer"::equals;
  /** The delivery workers ({@code delivery-1} …) and the outcome writer ({@code delivery-outcomes}). */
  private static final Predicate<String> DELIVERY = t -> t.startsWith("delivery-");
  /**
   * Statements that a clock rations, not the work: the journey catalogue's look at the deployments (once a second per
   * node, at every call for 30 s after this node parsed a deployment), the outbox claim's look for expired claims
   * (once a second per node) and an API key's last-used time (once a minute per key). Whether one falls into a unit
   * depends on when it runs, so they are shown in the report but not counted.
   */
  private static final Predicate<String> TIME_BASED = sql -> sql.contains("from ACT_RE_DEPLOYMENT RES")
      || sql.contains("WHERE status = 'sending' AND claimed_until < ?")
      || sql.startsWith("UPDATE api_key SET last_used_at");
  private static final Predicate<String> COUNTED = TIME_BASED.negate();

  @Autowired JdbcClient jdbc;
  @Autowired RuntimeService runtime;
  @Autowired CorrelationWorkers correlationWorkers;
  @Autowired EventCorrelator correlator;
  @Autowired EnrollmentWorker enrollmentWorker;
  @Autowired EnrollmentChunks enrollmentChunks;
  @Autowired EnrollmentProperties enrollmentProperties;
  @Autowired SourcePollingChannelAdapter outboxPoller;

  private Predicate<String> testThread;

  @Test
  void eachUnitOfWorkStaysWithinItsStatementBudget() throws IOException {
    assertThat(StatementCounting.enabled()).as("statement counting is on").isTrue();
    String me = Thread.currentThread().getName();
    testThread = me::equals;

    List<Cost> costs = new ArrayList<>();
    costs.addAll(orderShipped());
    costs.addAll(purchaseConverts());
    costs.addAll(emailOpened());
    costs.add(welcomeEntry());
    costs.add(emailDispatched());
    costs.add(enrollmentMember());

    StatementBudgets.Verdict verdict = new StatementBudgets().judge(costs);
    Files.createDirectories(REPORT.getParent());
    Files.writeString(REPORT, verdict.report());
    log.info("\n{}", verdict.report());
    assertThat(verdict.over()).as("units over their statement budget (all counts in %s)%n%s", REPORT, verdict.table())
        .isEmpty();
  }

  // ---- event reactions ----------------------------------------------------------------------------------

  /** order.shipped for a profile waiting in post-purchase: the non-interrupting subprocess writes the shipping notice. */
  private List<Cost> orderShipped() {
    reaction("reaction.order-shipped", waitingInPostPurchase(), "order.shipped");
    String profileId = waitingInPostPurchase();
    List<Cost> costs = reaction("reaction.order-shipped", profileId, "order.shipped");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM outbox_message WHERE profile_id = ? AND creative_key = 'order-shipped'")
        .param(profileId).query(Integer.class).single()).as("the shipping notice is queued").isEqualTo(1);
    return costs;
  }

  /** purchase.completed for a profile waiting in welcome: the journey ends at its goal and the purchase is its conversion. */
  private List<Cost> purchaseConverts() {
    reaction("reaction.purchase-converts", waitingInWelcome(), "purchase.completed");
    String profileId = waitingInWelcome();
    String instanceId = runtime.createProcessInstanceQuery().processDefinitionKey("welcome").processInstanceBusinessKey(profileId)
        .singleResult().getId();
    List<Cost> costs = reaction("reaction.purchase-converts", profileId, "purchase.completed");
    assertThat(runtime.createProcessInstanceQuery().processInstanceId(instanceId).count()).as("welcome ended").isZero();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM journey_conversion WHERE instance_id = ?").param(instanceId)
        .query(Integer.class).single()).as("the purchase converted").isEqualTo(1);
    return costs;
  }

  /** email.opened from an ESP for a profile that waits nowhere: the send-time model learns from it, nothing else reacts. */
  private List<Cost> emailOpened() {
    reaction("reaction.email-opened", consenting("budget-open"), "email.opened");
    String profileId = consenting("budget-open");
    List<Cost> costs = reaction("reaction.email-opened", profileId, "email.opened");
    assertThat(jdbc.sql("SELECT SUM(opens) FROM send_time_engagement WHERE profile_id = ?").param(profileId)
        .query(Integer.class).single()).as("the model counted the open").isEqualTo(1);
    return costs;
  }

  /**
   * One event: its ingest ({@code POST /api/events}: the request thread, and the event writer that inserts it and
   * commits), then its correlation as a correlation worker runs a batch of one, here on the test thread while the
   * workers are stopped (what the request queued for them finds the row processed when they start again).
   */
  private List<Cost> reaction(String unit, String profileId, String type) {
    String eventId = "budget-" + UUID.randomUUID();
    correlationWorkers.stop();
    try {
      Recording ingest = StatementCounting.start();
      try (ingest) {
        api().body(Map.of("eventId", eventId, "type", type, "profileId", profileId)).post("/api/events")
            .then().statusCode(202);
      }
      long rowId = jdbc.sql("SELECT id FROM customer_event WHERE event_id = ?").param(eventId).query(Long.class).single();
      Recording correlation = StatementCounting.start();
      try (correlation) {
        correlator.correlateAll(List.of(rowId));
      }
      assertThat(jdbc.sql("SELECT processed_at FROM customer_event WHERE id = ?").param(rowId).query(Timestamp.class).optional())
          .as("the event was correlated").isPresent();
      return List.of(cost(unit + ".ingest", ingest, REQUEST.or(EVENT_WRITER)), cost(unit + ".correlation", correlation, testThread));
    } finally {
      correlationWorkers.start();
    }
  }

  /** A new profile that waits in post-purchase for its three-day timer, its thank-you email sent. */
  private String waitingInPostPurchase() {
    String profileId = api().body(Map.of("eventId", "budget-" + UUID.randomUUID(), "type", "order.completed",
            "identities", Map.of("email", uniqueEmail("budget-order"))))
        .post("/api/events").then().statusCode(202).extract().path("profileId");
    await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createProcessInstanceQuery().processDefinitionKey("post-purchase")
        .processInstanceBusinessKey(profileId).activityIdIn("Event_ThreeDaysPassed").count() == 1);
    settled(profileId);
    return profileId;
  }

  /** A new profile with email consent that waits in welcome for a purchase, its welcome email sent. */
  private String waitingInWelcome() {
    String profileId = consenting("budget-welcome");
    api().body(Map.of("profileId", profileId)).post("/api/journeys/welcome/entries").then().statusCode(201);
    settled(profileId);
    return profileId;
  }

  /** Nothing of the profile's is left to send or to correlate, so nothing of it runs beside the measured unit. */
  private void settled(String profileId) {
    await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.sql("""
            SELECT (SELECT COUNT(*) FROM outbox_message WHERE profile_id = :p AND status IN ('pending', 'sending'))
              + (SELECT COUNT(*) FROM customer_event WHERE profile_id = :p AND processed_at IS NULL)""")
        .param("p", profileId).query(Integer.class).single() == 0);
  }

  // ---- REST entry -------------------------------------------------------------------------------------

  /** {@code POST /api/journeys/welcome/entries} up to its first wait: consent checked, welcome email queued, at the gateway. */
  private Cost welcomeEntry() {
    enter(consenting("budget-entry"));
    String profileId = consenting("budget-entry");
    Recording entry = StatementCounting.start();
    try (entry) {
      enter(profileId);
    }
    assertThat(runtime.createProcessInstanceQuery().processDefinitionKey("welcome").processInstanceBusinessKey(profileId)
        .activityIdIn("Gateway_PurchaseOrTimeout").count()).as("welcome waits for a purchase").isEqualTo(1);
    return cost("entry.welcome", entry, REQUEST);
  }

  private void enter(String profileId) {
    api().body(Map.of("profileId", profileId)).post("/api/journeys/welcome/entries").then().statusCode(201);
  }

  // ---- email dispatch ---------------------------------------------------------------------------------

  private Cost emailDispatched() {
    oneEmail();
    return oneEmail();
  }

  /**
   * One welcome email from the outbox to SMTP, alone: the poller's claim (stopped, and its claim run on the test
   * thread), the governance reads of its batch, the delivery worker's dispatch and the outcome writer's final state
   * and outcome event.
   */
  private Cost oneEmail() {
    await().atMost(Duration.ofMinutes(2)).until(this::outboxQuiet);
    String email = uniqueEmail("budget-email");
    String profileId = consenting(email);
    outboxPoller.stop();
    try {
      enter(profileId);
      String id = jdbc.sql("SELECT id FROM outbox_message WHERE profile_id = ? AND status = 'pending'").param(profileId)
          .query(String.class).single();
      Recording dispatch = StatementCounting.start();
      try (dispatch) {
        Message<?> claimed = outboxPoller.getMessageSource().receive();
        assertThat(claimed).as("the claim found the email").isNotNull();
        assertThat((List<?>) claimed.getPayload()).as("the claim took this email alone").hasSize(1);
        outboxPoller.getOutputChannel().send(claimed);
        await().atMost(Duration.ofSeconds(30)).until(() -> "sent".equals(jdbc.sql("SELECT status FROM outbox_message WHERE id = ?")
            .param(id).query(String.class).single()));
      }
      assertThat(TestMail.to(email)).as("the email reached SMTP").hasSize(1);
      return cost("email.dispatched", dispatch, testThread.or(DELIVERY));
    } finally {
      outboxPoller.start();
    }
  }

  /**
   * Nothing that the claim could take beside this email for the next ten seconds: no other test's message due
   * (a retry, for example), and no claim in flight that expires.
   */
  private boolean outboxQuiet() {
    Timestamp soon = Timestamp.from(Instant.now().plusSeconds(10));
    return jdbc.sql("""
            SELECT COUNT(*) FROM outbox_message
            WHERE (status = 'pending' AND due_at < :soon) OR (status = 'sending' AND claimed_until < :soon)""")
        .param("soon", soon).query(Integer.class).single() == 0;
  }

  // ---- audience enrollment ------------------------------------------------------------------------------

  /**
   * One member of an audience enrollment into welcome: the statements of enrolling 200 less those of enrolling 100,
   * per member, so the costs of each run (its request, its last empty chunk) do not hide the member's; the costs of
   * each chunk ({@code overture.enrollment.chunk-size}, 20 in tests) are in it, a twentieth per member.
   */
  private Cost enrollmentMember() {
    enroll(20);
    Recording hundred = enroll(100);
    Recording twoHundred = enroll(200);
    Predicate<String> threads = REQUEST.or(testThread);
    String runs = "  100 members: %d statements, %d commits; 200 members: %d statements, %d commits%n".formatted(
        hundred.statements(threads, COUNTED), hundred.commits(threads), twoHundred.statements(threads, COUNTED),
        twoHundred.commits(threads));
    return new Cost("enrollment.member", (twoHundred.statements(threads, COUNTED) - hundred.statements(threads, COUNTED)) / 100.0,
        (twoHundred.commits(threads) - hundred.commits(threads)) / 100.0,
        (twoHundred.statements(threads, TIME_BASED) - hundred.statements(threads, TIME_BASED)) / 100.0, runs);
  }

  /**
   * An enrollment of {@code members} consenting profiles: {@code POST /api/journeys/welcome/enrollments}, then its
   * chunks as the enrollment worker runs them, here on the test thread while the worker is stopped.
   */
  private Recording enroll(int members) {
    String cohort = "budget" + UUID.randomUUID().toString().substring(0, 8);
    Audiences.create(this::api, jdbc, cohort, members);
    enrollmentWorker.stop();
    try {
      String id;
      Recording run = StatementCounting.start();
      try (run) {
        id = api().body(Map.of("segmentKey", cohort)).post("/api/journeys/welcome/enrollments")
            .then().statusCode(202).extract().path("id");
        while (enrollmentChunks.run(id, enrollmentProperties.chunkSize())) {
          // the worker's loop: chunk after chunk until the cursor is past the last member
        }
      }
      Map<String, Object> done = jdbc.sql("SELECT status, scanned, enrolled FROM enrollment WHERE id = ?").param(id)
          .query().singleRow();
      assertThat(done).as("every member enrolled, and only they were scanned")
          .containsEntry("status", "completed").containsEntry("scanned", (long) members).containsEntry("enrolled", (long) members);
      return run;
    } finally {
      enrollmentWorker.start();
    }
  }

  // ---- helpers --------------------------------------------------------------------------------------------

  /** A new profile with an email address (made from {@code name} unless it is one) and email marketing consent. */
  private String consenting(String name) {
    String email = name.contains("@") ? name : uniqueEmail(name);
    String profileId = createProfile(email, "Budget");
    setConsent(profileId, "email", "marketing", "granted");
    return profileId;
  }

  private static Cost cost(String unit, Recording r, Predicate<String> threads) {
    assertThat(r.rollbacks(threads)).as("%s rolled nothing back", unit).isZero();
    return new Cost(unit, r.statements(threads, COUNTED), r.commits(threads), r.statements(threads, TIME_BASED),
        r.describe(threads, TIME_BASED, "[time-based: not counted]"));
  }
}
