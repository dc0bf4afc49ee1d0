package dev.overture.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.overture.OvertureApplication;
import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import dev.overture.profile.Profiles;
import dev.overture.support.AppTestBase;
import dev.overture.support.StandaloneApps;
import dev.overture.support.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two nodes on one database share a channel's rate: with SMS at 10 per second, the provider (a WireMock
 * that records when each request arrived, and from which node by its path) sees at most 10 % more than
 * that, from both nodes together, in any window of a few seconds. A one-second window would also count
 * the spread of the sends' travel times on a loaded machine (two permits granted 1.1 s apart can arrive
 * 1.0 s apart), which is not the limiter's doing; a node each with its own bucket sends twice the rate.
 */
@Tag(StandaloneApps.TAG)
class ClusterRateLimitTest {

  private static final Logger log = LoggerFactory.getLogger(ClusterRateLimitTest.class);
  private static final int WARM_UP = 20;
  private static final int MESSAGES = 70;
  private static final int RATE = 10;
  private static final long WINDOW_MILLIS = 5000;

  private WireMockServer provider;

  @BeforeEach
  void startProvider() {
    StandaloneApps.requireOwnJvm();
    provider = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort().containerThreads(20));
    provider.start();
    provider.stubFor(post(urlPathMatching("/sms/.*")).willReturn(okJson("{\"status\":\"accepted\"}")));
  }

  @AfterEach
  void stopProvider() {
    provider.stop();
  }

  @Test
  void twoNodesOnOneDatabaseSendNoFasterThanTheChannelRateTogether() {
    String database = TestDatabases.newDatabase();
    try (ConfigurableApplicationContext a = node(database, "a"); ConfigurableApplicationContext b = node(database, "b")) {
      String creativeKey = approvedSmsCreative(a);
      Profiles profiles = a.getBean(Profiles.class);
      List<String> recipients = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        recipients.add(profiles.upsert(Map.of("phone", "+49151000000" + (10 + i)), Map.of("firstName", "C" + i)).profile().id());
      }
      Deliveries deliveries = a.getBean(Deliveries.class);
      TransactionTemplate tx = a.getBean(TransactionTemplate.class);
      JdbcClient jdbc = b.getBean(JdbcClient.class);
      // a first round, not measured: each node's first sends open connections and compile the creative,
      // which delays them past the later ones and would crowd the arrivals of the measured round
      enqueue(tx, deliveries, recipients, creativeKey, WARM_UP);
      awaitSent(jdbc, WARM_UP);
      provider.resetRequests();

      // all at once, so both nodes find work from the first poll on
      enqueue(tx, deliveries, recipients, creativeKey, MESSAGES);
      awaitSent(jdbc, WARM_UP + MESSAGES);
    }

    List<ServeEvent> arrivals = provider.getAllServeEvents();
    assertThat(arrivals).as("each message reached the provider once").hasSize(MESSAGES);
    assertThat(arrivals).as("node a sent some").anyMatch(e -> e.getRequest().getUrl().startsWith("/sms/a"));
    assertThat(arrivals).as("node b sent some").anyMatch(e -> e.getRequest().getUrl().startsWith("/sms/b"));
    List<Long> times = arrivals.stream().map(e -> e.getRequest().getLoggedDate().getTime()).sorted().toList();
    long first = times.get(0);
    String offsets = times.stream().map(t -> String.valueOf(t - first)).toList().toString();
    log.info("SMS arrivals (ms after the first): {}; busiest {}-ms window {}", offsets, WINDOW_MILLIS, busiestWindow(times));
    long allowed = Math.round(RATE * (WINDOW_MILLIS / 1000.0) * 1.1);
    assertThat(busiestWindow(times)).as("arrivals in the busiest %d-ms window, both nodes together; arrivals (ms) %s",
        WINDOW_MILLIS, offsets).isLessThanOrEqualTo((int) allowed);
  }

  private static void enqueue(TransactionTemplate tx, Deliveries deliveries, List<String> recipients, String creativeKey, int count) {
    tx.executeWithoutResult(s -> {
      for (int i = 0; i < count; i++) {
        deliveries.enqueue(recipients.get(i % recipients.size()), Channel.SMS, Purpose.TRANSACTIONAL, creativeKey,
            new Deliveries.Origin("cluster-test", null, null));
      }
    });
  }

  private static void awaitSent(JdbcClient jdbc, int count) {
    await().atMost(Duration.ofSeconds(90)).until(() -> jdbc.sql("SELECT COUNT(*) FROM outbox_message WHERE status = 'sent'")
        .query(Integer.class).single() == count);
  }

  /** The most arrivals in any window [t, t + WINDOW_MILLIS) that starts at an arrival. */
  private static int busiestWindow(List<Long> sortedTimes) {
    int busiest = 0;
    int end = 0;
    for (int start = 0; start < sortedTimes.size(); start++) {
      while (end < sortedTimes.size() && sortedTimes.get(end) < sortedTimes.get(start) + WINDOW_MILLIS) {
        end++;
      }
      busiest = Math.max(busiest, end - start);
    }
    return busiest;
  }

  private ConfigurableApplicationContext node(String database, String name) {
    List<String> args = new ArrayList<>(StandaloneApps.fileOutboxFor("email", "push", "webhook", "audience"));
    args.addAll(List.of(
        "--overture.db.url=" + database,
        "--overture.db.user=" + TestDatabases.user(),
        "--overture.db.password=" + TestDatabases.password(),
        "--server.port=0",
        "--overture.admin.user=" + AppTestBase.ADMIN,
        "--overture.admin.password=" + AppTestBase.ADMIN_PASSWORD,
        "--overture.delivery.outbox-dir=target/cluster-rate-limit-test/outbox-" + name,
        "--overture.delivery.sms.url=http://127.0.0.1:" + provider.port() + "/sms/" + name,
        "--overture.delivery.sms.rate-per-second=" + RATE,
        // small claims, so each node keeps claiming while the other has work too
        "--overture.delivery.batch-size=5"));
    return new SpringApplicationBuilder(OvertureApplication.class).run(args.toArray(String[]::new));
  }

  private static String approvedSmsCreative(ConfigurableApplicationContext app) {
    Creatives creatives = app.getBean(Creatives.class);
    String key = "cluster-rate";
    Creative c = creatives.create(new Creative.Draft(key, Channel.SMS.key(), null, null, null, "Hi {{firstName}}, 20% off today",
        null, null, Map.of("firstName", "there")), "user:author");
    creatives.approve(key, Channel.SMS.key(), c.version(), "user:approver");
    return key;
  }
}
