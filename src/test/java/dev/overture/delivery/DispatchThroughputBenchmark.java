package dev.overture.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import dev.overture.support.TestHttpProviders;
import dev.overture.support.TestMail;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
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
 * Dispatch throughput per channel (messages/s) against a local SMTP sink (GreenMail) and a local
 * HTTP sink (JDK HttpServer), and the ratio to what the same sink accepts from a plain client with
 * as many threads in the same run (target ≥ 0.8). Tagged "benchmark": only {@code -Pbenchmark} runs it.
 * Scale with {@code -Dbenchmark.messages=N}, {@code -Dbenchmark.threads=T} and the claim size
 * {@code -Dbenchmark.batch=B} (100); {@code -Dbenchmark.email=false} measures SMS alone. Results also go to
 * {@code target/benchmark-dispatch.txt}.
 */
@Tag("benchmark")
class DispatchThroughputBenchmark extends DeliveryTestBase {

  private static final Logger log = LoggerFactory.getLogger(DispatchThroughputBenchmark.class);
  private static final int MESSAGES = Integer.getInteger("benchmark.messages", 200);
  private static final int THREADS = Integer.getInteger("benchmark.threads", 4);
  private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);
  private static final int BATCH = Integer.getInteger("benchmark.batch", 100);
  private static final boolean EMAIL = Boolean.parseBoolean(System.getProperty("benchmark.email", "true"));
  private static final AtomicInteger httpReceived = new AtomicInteger();
  private static HttpServer sink;

  @Autowired
  SourcePollingChannelAdapter outboxPoller;

  @Autowired
  TransactionTemplate tx;

  @DynamicPropertySource
  static void sinks(DynamicPropertyRegistry registry) throws IOException {
    sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
    sink.setExecutor(Executors.newFixedThreadPool(16));
    sink.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      httpReceived.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    sink.start();
    // AppTestBase points sms at WireMock; this run's SMS go to the plain sink the plain client is measured against
    TestHttpProviders.redirect("/sms", "http://127.0.0.1:" + sink.getAddress().getPort() + "/sms");
    registry.add("overture.delivery.threads", () -> THREADS);
    registry.add("overture.delivery.batch-size", () -> BATCH);
  }

  @AfterAll
  static void stopSink() {
    TestHttpProviders.redirect("/sms", null);
    sink.stop(0);
  }

  @Test
  void dispatcherKeepsUpWithTheSinksOnEmailAndSms() throws Exception {
    String key = approvedCreative("bench");
    List<String> profiles = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      profiles.add(profile(Map.of("email", uniqueEmail("bench" + i), "phone", uniquePhone()), Map.of("firstName", "B" + i)));
    }
    StringBuilder report = new StringBuilder("channel  messages  threads  plain-client msg/s  dispatcher msg/s  ratio\n");
    double smtpPlain = EMAIL ? plainSmtp() : Double.NaN;
    double smtpDispatch = EMAIL ? dispatch(Channel.EMAIL, key, profiles, MESSAGES) : Double.NaN;
    // both HTTP paths once unmeasured first, so neither figure includes the JIT's warm-up; then ROUNDS rounds
    // taking turns, and the median of each: one run of either varies by a third on this machine
    plainHttp(MESSAGES / 5);
    dispatch(Channel.SMS, key, profiles, MESSAGES / 5);
    List<Double> plain = new ArrayList<>();
    List<Double> dispatched = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      plain.add(plainHttp(MESSAGES));
      dispatched.add(dispatch(Channel.SMS, key, profiles, MESSAGES));
    }
    log.info("SMS rounds: plain {} dispatcher {}", plain, dispatched);
    report.append(line("email", smtpPlain, smtpDispatch)).append(line("sms", median(plain), median(dispatched)))
        .append("sms rounds, plain client: ").append(plain).append('\n')
        .append("sms rounds, dispatcher:   ").append(dispatched).append('\n');
    log.info("Dispatch throughput\n{}", report);
    Files.writeString(Path.of("target/benchmark-dispatch.txt"), report.toString());
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String line(String channel, double plain, double dispatched) {
    return "%-8s %8d %8d %19.1f %17.1f %6.2f%n".formatted(channel, MESSAGES, THREADS, plain, dispatched, dispatched / plain);
  }

  /** The dispatcher: rows queued while the poller is stopped, then timed from start until the last is final. */
  private double dispatch(Channel channel, String key, List<String> profiles, int messages) {
    outboxPoller.stop();
    int sinkBefore = httpReceived.get();
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
    if (channel == Channel.SMS) {
      assertThat(httpReceived.get() - sinkBefore).as("SMS received by this run's sink").isEqualTo(messages);
    }
    return messages / seconds;
  }

  private double plainSmtp() throws Exception {
    JavaMailSenderImpl mail = new JavaMailSenderImpl();
    mail.setHost("127.0.0.1");
    mail.setPort(TestMail.port());
    return timed(MESSAGES, i -> {
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
    URI uri = URI.create("http://127.0.0.1:" + sink.getAddress().getPort() + "/plain");
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
