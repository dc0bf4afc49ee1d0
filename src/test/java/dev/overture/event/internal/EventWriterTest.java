package dev.overture.event.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.overture.event.InboundEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.mock.env.MockEnvironment;

/** The group commit: requests queued while the writer is busy share one transaction; a bad one fails alone. */
class EventWriterTest {

  private final EventStore store = mock(EventStore.class);
  private final EventProfiles profiles = mock(EventProfiles.class);
  private final List<List<String>> transactions = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstMayCommit = new CountDownLatch(1);
  private EventWriter writer;

  @BeforeEach
  void start() {
    when(profiles.of(anyList())).thenAnswer(i -> ((List<?>) i.getArgument(0)).stream().map(e -> "profile").toList());
    when(store.insert(anyList(), anyList())).thenAnswer(i -> {
      List<EventValidator.ValidEvent> events = i.getArgument(0);
      List<String> ids = events.stream().map(e -> e.raw().eventId()).toList();
      transactions.add(ids);
      if (transactions.size() == 1) {
        firstMayCommit.await(10, TimeUnit.SECONDS);
      }
      if (ids.contains("fatal")) {
        throw new LinkageError("class missing");
      }
      if (ids.contains("bad")) {
        throw new IllegalStateException("row too long");
      }
      return ids.stream().map(id -> new EventStore.Stored(1L, id, "profile", false, true)).toList();
    });
    writer = new EventWriter(store, profiles, properties());
    writer.start();
  }

  @AfterEach
  void stop() {
    writer.stop();
  }

  @Test
  void requestsThatQueueWhileTheWriterIsBusyShareOneTransaction() throws Exception {
    CompletableFuture<List<EventStore.Stored>> first = CompletableFuture.supplyAsync(() -> writer.store(events("a")));
    await().atMost(Duration.ofSeconds(5)).until(() -> transactions.size() == 1);
    List<CompletableFuture<List<EventStore.Stored>>> later = List.of("b", "c", "d").stream()
        .map(id -> CompletableFuture.supplyAsync(() -> writer.store(events(id, id + "2")))).toList();
    await().atMost(Duration.ofSeconds(5)).until(() -> writer.queued() == 3);
    firstMayCommit.countDown();

    assertThat(first.get(5, TimeUnit.SECONDS)).extracting(EventStore.Stored::eventId).containsExactly("a");
    for (int i = 0; i < 3; i++) {
      String id = List.of("b", "c", "d").get(i);
      assertThat(later.get(i).get(5, TimeUnit.SECONDS)).extracting(EventStore.Stored::eventId).containsExactly(id, id + "2");
    }
    assertThat(transactions).hasSize(2);
    assertThat(transactions.get(1)).containsExactlyInAnyOrder("b", "b2", "c", "c2", "d", "d2");
  }

  @Test
  void aRequestWhoseEventsCannotBeStoredFailsAloneAndTheOthersAreStored() throws Exception {
    CompletableFuture<List<EventStore.Stored>> first = CompletableFuture.supplyAsync(() -> writer.store(events("a")));
    await().atMost(Duration.ofSeconds(5)).until(() -> transactions.size() == 1);
    CompletableFuture<List<EventStore.Stored>> good = CompletableFuture.supplyAsync(() -> writer.store(events("b")));
    await().atMost(Duration.ofSeconds(5)).until(() -> writer.queued() == 1);
    CompletableFuture<List<EventStore.Stored>> bad = CompletableFuture.supplyAsync(() -> writer.store(events("bad")));
    await().atMost(Duration.ofSeconds(5)).until(() -> writer.queued() == 2);
    firstMayCommit.countDown();

    assertThat(first.get(5, TimeUnit.SECONDS)).hasSize(1);
    assertThat(good.get(5, TimeUnit.SECONDS)).extracting(EventStore.Stored::eventId).containsExactly("b");
    assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("row too long");
    // together first, then each on its own
    assertThat(transactions).containsExactly(List.of("a"), List.of("b", "bad"), List.of("b"), List.of("bad"));
  }

  @Test
  void anErrorFailsItsRequestAndTheWriterGoesOnWithTheNext() throws Exception {
    firstMayCommit.countDown();
    CompletableFuture<List<EventStore.Stored>> fatal = CompletableFuture.supplyAsync(() -> writer.store(events("fatal")));
    assertThatThrownBy(() -> fatal.get(5, TimeUnit.SECONDS)).hasRootCauseInstanceOf(LinkageError.class);
    assertThat(CompletableFuture.supplyAsync(() -> writer.store(events("after"))).get(5, TimeUnit.SECONDS))
        .extracting(EventStore.Stored::eventId).containsExactly("after");
  }

  private static List<EventValidator.ValidEvent> events(String... ids) {
    return java.util.Arrays.stream(ids)
        .map(id -> new EventValidator.ValidEvent(InboundEvent.of(id, "order.shipped", "profile", null, null, null, "api"),
            Instant.now(), "{}", "profile"))
        .toList();
  }

  private static EventsProperties properties() {
    return new Binder(ConfigurationPropertySources.get(new MockEnvironment()))
        .bindOrCreate("overture.events", EventsProperties.class);
  }
}
