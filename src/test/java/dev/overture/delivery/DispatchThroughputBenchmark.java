package dev.overture.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.overture.delivery.internal.DeliveryProperties;
import dev.overture.support.SlowSmtpSink;
import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import dev.overture.support.TestHttpProviders;
import dev.overture.support.TestMail;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.integration.endpoint.SourcePollingChannelAdapter;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Dispatch throughput per channel (messages/s) against sinks that answer after a provider's latency,
 * 20 ms by default ({@code -Dbenchmark.latency-ms=L}): SMTP to {@link SlowSmtpSink}, SMS to a WireMock
 * server with a fixed delay. In the same run, what the same sink accepts from a plain client (JavaMail /
 * JDK HttpClient) with as many threads as the dispatcher has, and the ratio (target ≥ 0.8). Then the same
 * at zero latency (GreenMail, WireMock without delay) as a diagnostic: there the sink, the dispatcher and
 * MariaDB share the machine's cores, so the ratio measures the machine more than the dispatcher.
 * Each figure is the median of {@code -Dbenchmark.rounds=R} (3) rounds that take turns, after one
 * unmeasured round. Tagged "benchmark": only {@code -Pbenchmark} runs it. Scale with
 * {@code -Dbenchmark.messages=N}, {@code -Dbenchmark.threads=T} and the claim size {@code -Dbenchmark.batch=B}
 * (100). Results also go to {@code target/benchmark-dispatch.txt}.
 */
@Tag("benchmark")
class DispatchThroughputBenchmark extends DeliveryTestBase {

  private static final Logger log = LoggerFactory.getLogger(DispatchThroughputBenchmark.class);
  private static final int MESSAGES = Integer.getInteger("benchmark.messages", 1000);
  private static final int THREADS = Integer.getInteger("benchmark.threads", 4);
  private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);
  private static final int BATCH = Integer.getInteger("benchmark.batch", 100);
  private static final Duration LATENCY = Duration.ofMillis(Integer.getInteger("benchmark.latency-ms", 20));
  private static WireMockServer httpSink;
  private static SlowSmtpSink slowSmtp;

  @Autowired
  SourcePollingChannelAdapter outboxPoller;

  @Autowired
  TransactionTemplate tx;

  /** The dispatcher's SMTP client: pointed at the sink of each phase. */
  @Autowired
  JavaMailSenderImpl mailSender;

  @Autowired
  DeliveryProperties deliveryProperties;

  @DynamicPropertySource
  static void sinks(DynamicPropertyRegistry registry) {
    // the request journal off: at zero latency its bookkeeping would be much of what the sink costs
    httpSink = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort().containerThreads(4 * THREADS + 10)
        .disableRequestJournal());
    httpSink.start();
    httpSink.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{\"status\":\"accepted\"}")));
    slowSmtp = new SlowSmtpSink(LATENCY);
    // AppTestBase points sms at the shared WireMock; this run's SMS go to the sink the plain client is measured against
    TestHttpProviders.redirect("/sms", httpSink.baseUrl() + "/sms");
    registry.add("overture.delivery.threads", () -> THREADS);
    registry.add("overture.delivery.batch-size", () -> BATCH);
  }

  @AfterAll
  static void stopSinks() throws IOException {
    TestHttpProviders.redirect("/sms", null);
    httpSink.stop();
    slowSmtp.close();
  }

  @Test
  void dispatcherKeepsUpWithProvidersThatAnswerInTwentyMilliseconds() throws Exception {
    assertThat(deliveryProperties.sms().url()).as("the dispatcher's SMS go to this run's sink").startsWith(httpSink.baseUrl());
    String key = approvedCreative("bench");
    List<String> profiles = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      profiles.add(profile(Map.of("email", uniqueEmail("bench" + i), "phone", uniquePhone()), Map.of("firstName", "B" + i)));
    }
    StringBuilder report = new StringBuilder("sink latency  channel  messages  threads  plain-client msg/s  dispatcher msg/s  ratio\n");
    StringBuilder rounds = new StringBuilder();
    for (Duration latency : List.of(LATENCY, Duration.ZERO)) {
      int smtpPort = latency.isZero() ? TestMail.port() : slowSmtp.port();
      mailSender.setPort(smtpPort);
      httpSink.setGlobalFixedDelay((int) latency.toMillis());
      // every path once unmeasured first, so no figure includes the JIT's warm-up; then rounds taking turns
      plainSmtp(smtpPort, MESSAGES / 5);
      dispatch(Channel.EMAIL, key, profiles, MESSAGES / 5, latency);
      plainHttp(MESSAGES / 5);
      dispatch(Channel.SMS, key, profiles, MESSAGES / 5, latency);
      Map<String, List<Double>> figures = new java.util.LinkedHashMap<>();
      for (int round = 0; round < ROUNDS; round++) {
        figures.computeIfAbsent("email plain", k -> new ArrayList<>()).add(plainSmtp(smtpPort, MESSAGES));
        figures.computeIfAbsent("email dispatcher", k -> new ArrayList<>()).add(dispatch(Channel.EMAIL, key, profiles, MESSAGES, latency));
        figures.computeIfAbsent("sms plain", k -> new ArrayList<>()).add(plainHttp(MESSAGES));
        figures.computeIfAbsent("sms dispatcher", k -> new ArrayList<>()).add(dispatch(Channel.SMS, key, profiles, MESSAGES, latency));
      }
      String sink = latency.toMillis() + " ms";
      report.append(line(sink, "email", median(figures.get("email plain")), median(figures.get("email dispatcher"))))
          .append(line(sink, "sms", median(figures.get("sms plain")), median(figures.get("sms dispatcher"))));
      figures.forEach((what, values) -> rounds.append(sink).append(' ').append(what).append(": ").append(values).append('\n'));
    }
    report.append(rounds);
    log.info("Dispatch throughput\n{}", report);
    Files.writeString(Path.of("target/benchmark-dispatch.txt"), report.toString());
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String line(String sink, String channel, double plain, double dispatched) {
    return "%-12s  %-7s  %8d  %7d  %18.1f  %16.1f  %5.2f%n".formatted(sink, channel, MESSAGES, THREADS, plain, dispatched,
        dispatched / plain);
  }

  /** The dispatcher: rows queued while the poller is stopped, then timed from start until the last is final. */
  private double dispatch(Channel channel, String key, List<String> profiles, int messages, Duration latency) {
    outboxPoller.stop();
    int smtpBefore = slowSmtp.received();
    List<String> ids = new ArrayList<>();
    tx.executeWithoutResult(s -> {
      for (int i = 0; i < messages; i++) {
        ids.add(send(profiles.get(i % profiles.size()), channel, Purpose.TRANSACTIONAL, key));
      }
    });
    java.time.Instant start = java.time.Instant.now();
    log.info("Dispatching {} {} messages", messages, channel.key());
    outboxPoller.start();
    // the poll finds its first row at once while any is left, so it costs the database next to nothing; the
    // end is the last row's own final write, so how often we look does not change the figure
    await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(200)).until(() -> jdbc.sql(
            "SELECT COUNT(*) FROM (SELECT 1 FROM outbox_message WHERE status IN ('pending', 'sending') AND creative_key = ? LIMIT 1) t")
        .param(key).query(Integer.class).single() == 0);
    java.time.Instant end = jdbc.sql("SELECT MAX(updated_at) FROM outbox_message WHERE id IN (:ids)").param("ids", ids)
        .query(java.sql.Timestamp.class).single().toInstant();
    double seconds = Duration.between(start, end).toNanos() / 1e9;
    log.info("Dispatched {} {} messages from {} to {}", messages, channel.key(), start, end);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM outbox_message WHERE id IN (:ids) AND status = 'sent'").param("ids", ids)
        .query(Integer.class).single()).isEqualTo(messages);
    if (channel == Channel.EMAIL && !latency.isZero()) {
      assertThat(slowSmtp.received() - smtpBefore).as("emails received by this run's sink").isEqualTo(messages);
    }
    return messages / seconds;
  }

  private double plainSmtp(int port, int messages) throws Exception {
    JavaMailSenderImpl mail = new JavaMailSenderImpl();
    mail.setHost("127.0.0.1");
    mail.setPort(port);
    return timed(messages, i -> {
      MimeMessage m = mail.createMimeMessage();
      MimeMessageHelper h = new MimeMessageHelper(m, true, "UTF-8");
      h.setFrom("bench@overture.local");
      h.setTo("plain-" + i + "@example.com");
      h.setSubject("Hello B" + i);
      h.setText("Hi B" + i + ", see https://shop.example.com/offer", "<p>Hi B" + i + "</p>");
      mail.send(m);
    });
  }

  private double plainHttp(int messages) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    URI uri = URI.create(httpSink.baseUrl() + "/plain");
    return timed(messages, i -> {
      HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
          .header("Idempotency-Key", "plain-" + i)
          .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"+4915100000000\",\"body\":\"Hi B" + i + "\"}")).build();
      client.send(request, HttpResponse.BodyHandlers.discarding());
    });
  }

  interface Send {
    void send(int i) throws Exception;
  }

  private static double timed(int messages, Send send) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      workers.add(pool.submit(() -> {
        for (int i = next.getAndIncrement(); i < messages; i = next.getAndIncrement()) {
          send.send(i);
        }
        return null;
      }));
    }
    for (Future<?> w : workers) {
      w.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    return messages / seconds;
  }
}
