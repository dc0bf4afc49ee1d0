package dev.overture.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.support.AppTestBase;
import dev.overture.support.JourneyRuns;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A new customer's first calls arrive in parallel, as the Segment SDKs and server-side callers send them:
 * identify, track, alias, batch, {@code POST /api/events} and {@code POST /api/profiles} for the same new
 * userId, anonymousId and email, fired together from several threads behind a start barrier. However they
 * interleave, the customer ends as one profile with every identity and every event, and the journey its
 * track started hears the events sent to that profile.
 */
class ProfileConcurrencyTest extends AppTestBase {

  private static final int RACES = 60;

  @Autowired Profiles profiles;
  @Autowired JdbcClient jdbc;
  @Autowired RuntimeService runtime;

  private final ExecutorService threads = Executors.newFixedThreadPool(3);

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  /** One new customer: its identities and the ids of the events sent for it. */
  private record Customer(String userId, String anonymousId, String email, String cartId, List<String> eventIds) {

    static Customer fresh() {
      String n = UUID.randomUUID().toString();
      return new Customer("user-" + n, "anon-" + n, "race-" + n.substring(0, 13) + "@example.com", "cart-" + n, new java.util.concurrent.CopyOnWriteArrayList<>());
    }

    String event() {
      String id = UUID.randomUUID().toString();
      eventIds.add(id);
      return id;
    }
  }

  @Test
  void parallelFirstCallsOfNewCustomersEndOnOneProfileEachWithEveryIdentityAndEvent() throws Exception {
    // other test classes share this database; only what the races made is looked at
    Timestamp racesStarted = Timestamp.from(Instant.now().minusMillis(1));
    List<Customer> customers = new ArrayList<>();
    for (int race = 0; race < RACES; race++) {
      Customer c = Customer.fresh();
      customers.add(c);
      race(scenario(race % 5, c));
    }

    assertThat(identitylessProfilesSince(racesStarted)).as("profiles without any identity").isEmpty();
    for (Customer c : customers) {
      String owner = profiles.resolve(Map.of("externalId", c.userId())).orElseThrow();
      assertThat(profiles.resolve(Map.of("anonymousId", c.anonymousId()))).as("owner of %s", c.anonymousId()).contains(owner);
      assertThat(profiles.resolve(Map.of("email", c.email()))).as("owner of %s", c.email()).contains(owner);
      assertThat(eventOwners(c.eventIds())).as("profiles of the events of %s", c.userId()).containsOnly(owner)
          .hasSize(c.eventIds().size());
    }

    // the journey each customer's cart.abandoned started hears the order sent to the surviving profile
    for (Customer c : customers) {
      segment().body(Map.of("messageId", UUID.randomUUID().toString(), "userId", c.userId(), "event", "order.completed",
          "properties", Map.of("cartId", c.cartId()))).post("/v1/track").then().statusCode(200);
    }
    for (Customer c : customers) {
      List<String> keys = keysOf(profiles.resolve(Map.of("externalId", c.userId())).orElseThrow());
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(JourneyRuns.endElements(jdbc, "abandoned-cart", keys))
          .as("abandoned-cart journeys of %s", c.userId())
          .containsExactly("EndEvent_OrderedBeforeReminder"));
    }
  }

  /** The calls of one race, each list the calls one client thread makes in order. */
  private List<List<Supplier<Response>>> scenario(int kind, Customer c) {
    return switch (kind) {
      // identify first, while an anonymous track and a server-side event by email arrive
      case 0 -> List.of(
          List.of(() -> identify(c, c.userId(), c.anonymousId()), () -> cartAbandoned(c, "userId", c.userId())),
          List.of(() -> track(c, "anonymousId", c.anonymousId(), "product.viewed")),
          List.of(() -> apiEvent(c, Map.of("email", c.email()))));
      // track first, then identify; a profile upsert with email and userId beside it
      case 1 -> List.of(
          List.of(() -> cartAbandoned(c, "anonymousId", c.anonymousId()), () -> identify(c, c.userId(), c.anonymousId())),
          List.of(() -> track(c, "userId", c.userId(), "product.viewed")),
          List.of(() -> upsert(Map.of("email", c.email(), "externalId", c.userId()))));
      // alias before anything else is known, while the anonymous and the identified calls race it
      case 2 -> List.of(
          List.of(() -> alias(c), () -> cartAbandoned(c, "userId", c.userId())),
          List.of(() -> track(c, "anonymousId", c.anonymousId(), "product.viewed")),
          List.of(() -> identify(c, c.userId(), null)));
      // alias after: the anonymous cart first, then a batch that identifies and aliases
      case 3 -> List.of(
          List.of(() -> cartAbandoned(c, "anonymousId", c.anonymousId())),
          List.of(() -> batch(c)),
          List.of(() -> apiEvent(c, Map.of("anonymousId", c.anonymousId()))));
      // events with identities against a profile upsert that joins them
      default -> List.of(
          List.of(() -> apiCartAbandoned(c)),
          List.of(() -> upsert(Map.of("email", c.email(), "anonymousId", c.anonymousId()))),
          List.of(() -> identify(c, c.userId(), null)));
    };
  }

  /** Starts every client thread of the race at one barrier and waits for all; every call must succeed. */
  private void race(List<List<Supplier<Response>>> clients) throws Exception {
    CyclicBarrier start = new CyclicBarrier(clients.size());
    List<Future<List<Response>>> running = new ArrayList<>();
    for (List<Supplier<Response>> calls : clients) {
      running.add(threads.submit(() -> {
        start.await(10, TimeUnit.SECONDS);
        return calls.stream().map(Supplier::get).toList();
      }));
    }
    for (Future<List<Response>> client : running) {
      for (Response r : client.get(60, TimeUnit.SECONDS)) {
        assertThat(r.statusCode()).as(r.asString()).isBetween(200, 202);
      }
    }
  }

  private RequestSpecification segment() {
    return given().auth().preemptive().basic(SEGMENT_WRITE_KEY, "").contentType(ContentType.JSON);
  }

  private Response identify(Customer c, String userId, String anonymousId) {
    Map<String, Object> call = new java.util.HashMap<>(Map.of("messageId", c.event(), "userId", userId,
        "traits", Map.of("email", c.email(), "plan", "pro")));
    if (anonymousId != null) {
      call.put("anonymousId", anonymousId);
    }
    return segment().body(call).post("/v1/identify");
  }

  private Response track(Customer c, String idField, String id, String event) {
    return segment().body(Map.of("messageId", c.event(), idField, id, "event", event)).post("/v1/track");
  }

  private Response cartAbandoned(Customer c, String idField, String id) {
    return segment().body(Map.of("messageId", c.event(), idField, id, "event", "cart.abandoned",
        "properties", Map.of("cartId", c.cartId()))).post("/v1/track");
  }

  private Response alias(Customer c) {
    return segment().body(Map.of("messageId", c.event(), "previousId", c.anonymousId(), "userId", c.userId()))
        .post("/v1/alias");
  }

  private Response batch(Customer c) {
    return segment().body(Map.of("batch", List.of(
            Map.of("type", "identify", "messageId", c.event(), "userId", c.userId(), "traits", Map.of("email", c.email())),
            Map.of("type", "alias", "messageId", c.event(), "previousId", c.anonymousId(), "userId", c.userId()))))
        .post("/v1/batch");
  }

  private Response apiEvent(Customer c, Map<String, String> identities) {
    return api().body(Map.of("eventId", c.event(), "type", "newsletter.opened", "identities", identities))
        .post("/api/events");
  }

  private Response apiCartAbandoned(Customer c) {
    return api().body(Map.of("eventId", c.event(), "type", "cart.abandoned",
            "identities", Map.of("externalId", c.userId(), "anonymousId", c.anonymousId()),
            "properties", Map.of("cartId", c.cartId())))
        .post("/api/events");
  }

  private Response upsert(Map<String, String> identities) {
    return api().body(Map.of("identities", identities, "attributes", Map.of("source", "crm"))).post("/api/profiles");
  }

  private List<String> identitylessProfilesSince(Timestamp since) {
    return jdbc.sql("SELECT id FROM profile p WHERE p.created_at >= ? "
            + "AND NOT EXISTS (SELECT 1 FROM profile_identity i WHERE i.profile_id = p.id)")
        .param(since).query(String.class).list();
  }

  /** The profile of each stored event, one entry per stored event. */
  private List<String> eventOwners(List<String> eventIds) {
    return jdbc.sql("SELECT profile_id FROM customer_event WHERE event_id IN (:ids)").param("ids", eventIds)
        .query(String.class).list();
  }

  /** The business keys a profile's journeys may carry: its id and the ids merged into it. */
  private List<String> keysOf(String profileId) {
    Set<String> keys = new HashSet<>(profiles.aliasesOf(profileId));
    keys.add(profileId);
    return List.copyOf(keys);
  }
}
