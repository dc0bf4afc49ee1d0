package dev.overture.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.segment.Segments;
import dev.overture.support.AppTestBase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Profile updates beside event reactions, without and with a live journey that enters a segment's new members (not
 * part of {@code ./mvnw verify}; command and figures in docs/performance.md, "Entry on segment qualification").
 * Each phase posts {@code bench.updates-per-minute} (10,000) upserts of profiles' attributes, every one flipping its
 * profile in or out of a segment ({@code tier} gold or silver), and {@code bench.events-per-second} (20) events that
 * each start a journey, for {@code bench.seconds} (60); first without any segment-entry journey, then with one live.
 * Reports per phase the rate reached, each event's reaction latency (its {@code received_at} to its journey entry's
 * {@code created_at}), the database's statements per request (its Questions counter: run it without {@code DB_URL}, so
 * that the test JVM's embedded server counts this app's statements alone), and the entries the segment made.
 */
@Tag("benchmark")
class SegmentEntryBenchmark extends AppTestBase {

  private static final Logger log = LoggerFactory.getLogger(SegmentEntryBenchmark.class);

  private final int updatesPerMinute = Integer.getInteger("bench.updates-per-minute", 10_000);
  private final int eventsPerSecond = Integer.getInteger("bench.events-per-second", 20);
  private final int seconds = Integer.getInteger("bench.seconds", 60);
  private final int profilesCount = Integer.getInteger("bench.profiles", 2_000);

  @Autowired JdbcClient jdbc;
  @Autowired RepositoryService repository;
  @Autowired Segments segments;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Map<String, String> results = new LinkedHashMap<>();

  @Test
  void profileUpdatesBesideEventReactionsWithoutAndWithASegmentEntryJourney() throws Exception {
    String run = "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    results.put("machine", Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
        + ", database " + jdbc.sql("SELECT VERSION()").query(String.class).single());
    results.put("load", updatesPerMinute + " profile updates/min and " + eventsPerSecond + " events/s (each starts a journey), "
        + seconds + " s a phase, " + profilesCount + " profiles updated in turn");
    String starter = run + ".arrived";
    deploy(run + "-events", null, starter);
    List<String> emails = new ArrayList<>();
    for (int i = 0; i < profilesCount; i++) {
      emails.add("bench-" + run + "-" + i + "@example.com");
    }
    List<String> ids = new ArrayList<>();
    for (String email : emails) {
      ids.add(upsert(email, "{\"cohort\":\"" + run + "\",\"tier\":\"silver\"}"));
    }
    phase(run, "warm-up (no segment entry)", emails, ids, starter, false);
    phase(run, "without a segment-entry journey", emails, ids, starter, true);
    String segment = "bench-" + run;
    segments.define(segment, "Benchmark gold", "tier = \"gold\" and cohort = \"" + run + "\"");
    String entryJourney = run + "-segment";
    deploy(entryJourney, segment, null);
    phase(run, "with a segment-entry journey live", emails, ids, starter, true);
    long segmentEntries = jdbc.sql("SELECT COUNT(*) FROM journey_entry WHERE journey_key = ?").param(entryJourney)
        .query(Long.class).single();
    results.put("entries the segment made (journey re-entry rule: not while active)", String.valueOf(segmentEntries));
    assertThat(segmentEntries).as("profiles that turned gold entered").isPositive();
    deploy(entryJourney, null, null);
    BenchmarkReports.write("segment-entry-benchmark.md", "Segment entry benchmark", results, log);
  }

  /** One phase at the configured rates; {@code measured}: its figures go into the report. */
  private void phase(String run, String name, List<String> emails, List<String> ids, String starter, boolean measured)
      throws Exception {
    String tag = run + "-" + name.replaceAll("[^a-z]", "").substring(0, 8) + "-";
    int updates = updatesPerMinute * seconds / 60;
    int events = eventsPerSecond * seconds;
    ScheduledExecutorService ticks = Executors.newScheduledThreadPool(2);
    ExecutorService senders = Executors.newFixedThreadPool(12);
    AtomicInteger u = new AtomicInteger();
    AtomicInteger e = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    long questionsBefore = questions();
    long started = System.nanoTime();
    long updateEveryMicros = 60_000_000L / updatesPerMinute;
    long eventEveryMicros = 1_000_000L / eventsPerSecond;
    ticks.scheduleAtFixedRate(() -> {
      int i = u.getAndIncrement();
      if (i < updates) {
        senders.submit(() -> {
          String email = emails.get(i % emails.size());
          String tier = (i / emails.size()) % 2 == 0 ? "gold" : "silver";
          try {
            upsert(email, "{\"tier\":\"" + tier + "\",\"seen\":" + i + "}");
          } catch (Exception ex) {
            failures.incrementAndGet();
          }
        });
      }
    }, 0, updateEveryMicros, TimeUnit.MICROSECONDS);
    ticks.scheduleAtFixedRate(() -> {
      int i = e.getAndIncrement();
      if (i < events) {
        senders.submit(() -> {
          try {
            event(tag + i, starter, ids.get(i % ids.size()));
          } catch (Exception ex) {
            failures.incrementAndGet();
          }
        });
      }
    }, 0, eventEveryMicros, TimeUnit.MICROSECONDS);
    await().atMost(Duration.ofSeconds(seconds * 3L)).pollInterval(Duration.ofMillis(200))
        .until(() -> u.get() >= updates && e.get() >= events);
    ticks.shutdown();
    senders.shutdown();
    senders.awaitTermination(5, TimeUnit.MINUTES);
    await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(250)).until(() -> jdbc.sql("""
            SELECT (SELECT COUNT(*) FROM customer_event WHERE processed_at IS NULL)
              + (SELECT COUNT(*) FROM segment_entry_pending)""").query(Long.class).single() == 0);
    double elapsed = (System.nanoTime() - started) / 1e9;
    long statements = questions() - questionsBefore;
    assertThat(failures.get()).as("requests that failed").isZero();
    if (!measured) {
      return;
    }
    List<Long> latencies = jdbc.sql("""
            SELECT TIMESTAMPDIFF(MICROSECOND, e.received_at, j.created_at) FROM customer_event e
            JOIN journey_entry j ON j.idempotency_key = CONCAT('event:', e.event_id)
            WHERE e.event_id LIKE ? ORDER BY 1""")
        .param(tag + "%").query(Long.class).list();
    assertThat(latencies).as("every event started its journey").hasSize(events);
    results.put(name + ": rates", String.format(Locale.ROOT, "%.0f updates/min, %.1f events/s (phase and drain %.0f s)",
        updates / elapsed * 60, events / elapsed, elapsed));
    results.put(name + ": event reaction latency p50 / p95 / p99 / max", String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f ms",
        pct(latencies, 50), pct(latencies, 95), pct(latencies, 99), latencies.get(latencies.size() - 1) / 1000.0));
    results.put(name + ": database statements per request (update or event; the server's Questions, idle pollers included)",
        String.format(Locale.ROOT, "%.2f (%d statements for %d updates and %d events)", statements / (double) (updates + events),
            statements, updates, events));
  }

  /** The database server's statement counter: the benchmark runs on the test JVM's own embedded server, alone. */
  private long questions() {
    return jdbc.sql("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'QUESTIONS'")
        .query(Long.class).single();
  }

  private static double pct(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1000.0;
  }

  private String upsert(String email, String attributes) throws IOException, InterruptedException {
    HttpResponse<String> r = post("/api/profiles", "{\"identities\":{\"email\":\"" + email + "\"},\"attributes\":" + attributes + "}");
    if (r.statusCode() != 200 && r.statusCode() != 201) {
      throw new IllegalStateException("upsert answered " + r.statusCode() + ": " + r.body());
    }
    return r.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
  }

  private void event(String eventId, String type, String profileId) throws IOException, InterruptedException {
    HttpResponse<String> r = post("/api/events", "{\"eventId\":\"" + eventId + "\",\"type\":\"" + type + "\",\"profileId\":\"" + profileId + "\"}");
    if (r.statusCode() != 202) {
      throw new IllegalStateException("event answered " + r.statusCode() + ": " + r.body());
    }
  }

  private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A journey that waits a day: entered on a segment, or started by an event of type {@code startMessage} (every such
   * event enters again: re-entry {@code always}), or neither (a later version that takes the segment away).
   */
  private void deploy(String key, String entrySegment, String startMessage) {
    String props = entrySegment != null ? "<camunda:property name=\"overture:entry-segment\" value=\"" + entrySegment + "\" />"
        : startMessage != null ? "<camunda:property name=\"overture:reentry\" value=\"always\" />" : "";
    String message = startMessage == null ? "" : "<bpmn:message id=\"Message_Start\" name=\"" + startMessage + "\" />";
    String start = startMessage == null ? "<bpmn:startEvent id=\"StartEvent_Entered\"><bpmn:outgoing>Flow_ToWait</bpmn:outgoing></bpmn:startEvent>"
        : "<bpmn:startEvent id=\"StartEvent_Entered\"><bpmn:outgoing>Flow_ToWait</bpmn:outgoing>"
            + "<bpmn:messageEventDefinition messageRef=\"Message_Start\" /></bpmn:startEvent>";
    String xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_%1$s" targetNamespace="https://overture.dev/bpmn/bench">
          %3$s
          <bpmn:process id="%1$s" name="Benchmark journey" isExecutable="true" camunda:historyTimeToLive="P1D">
            <bpmn:extensionElements><camunda:properties>%2$s</camunda:properties></bpmn:extensionElements>
            %4$s
            <bpmn:intermediateCatchEvent id="Event_Wait">
              <bpmn:incoming>Flow_ToWait</bpmn:incoming><bpmn:outgoing>Flow_ToEnd</bpmn:outgoing>
              <bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="EndEvent_Done"><bpmn:incoming>Flow_ToEnd</bpmn:incoming></bpmn:endEvent>
            <bpmn:sequenceFlow id="Flow_ToWait" sourceRef="StartEvent_Entered" targetRef="Event_Wait" />
            <bpmn:sequenceFlow id="Flow_ToEnd" sourceRef="Event_Wait" targetRef="EndEvent_Done" />
          </bpmn:process>
        </bpmn:definitions>
        """.formatted(key, props, message, start);
    repository.createDeployment().name(key).addString(key + ".bpmn", xml).deploy();
  }
}
