package dev.overture.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.overture.support.AppTestBase;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.camunda.bpm.engine.RepositoryService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An {@code Idempotency-Key} binds the entry to the request: the same request, however its JSON keys are
 * ordered, answers the first entry, alone or racing itself; another request under the key is refused.
 */
class EntryIdempotencyTest extends AppTestBase {

  @Autowired RepositoryService repository;
  @Autowired JdbcClient jdbc;

  private String journey;
  private String profileId;

  @BeforeEach
  void journeyAndProfile() {
    if (journey == null) {
      journey = WaitingJourney.deploy(repository).key();
    }
    profileId = createProfile(uniqueEmail("idem"), "Idem");
  }

  /** The same request twice: the keys of the body, of its variables and of a nested map in two orders. */
  private String[] sameRequestInTwoOrders() {
    return new String[] {
        """
        {"profileId": "%s", "variables": {"channel": "web", "cart": {"id": "c-1", "total": 3, "lines": [{"sku": "a", "qty": 1}]}}}"""
            .formatted(profileId),
        """
        {"variables": {"cart": {"lines": [{"qty": 1, "sku": "a"}], "total": 3, "id": "c-1"}, "channel": "web"}, "profileId": "%s"}"""
            .formatted(profileId)};
  }

  private Response enter(String key, String body) {
    return api().header("Idempotency-Key", key).body(body).post("/api/journeys/{key}/entries", journey);
  }

  private long entries(String key) {
    return jdbc.sql("SELECT COUNT(*) FROM journey_entry WHERE journey_key = ? AND idempotency_key = ?")
        .params(journey, key).query(Long.class).single();
  }

  @Test
  void theSameBodyWithItsKeysInAnotherOrderAnswersTheFirstEntry() {
    String key = UUID.randomUUID().toString();
    String[] bodies = sameRequestInTwoOrders();

    String first = enter(key, bodies[0]).then().statusCode(201).header("Idempotent-Replayed", "false").extract().path("entryId");
    String second = enter(key, bodies[1]).then().statusCode(201).header("Idempotent-Replayed", "true").extract().path("entryId");

    assertThat(second).isEqualTo(first);
    assertThat(entries(key)).isEqualTo(1);
  }

  @Test
  void aNumberAndTheSameDigitsAsTextAreDifferentRequests() {
    String key = UUID.randomUUID().toString();
    enter(key, """
        {"profileId": "%s", "variables": {"quantity": 1}}""".formatted(profileId)).then().statusCode(201);

    enter(key, """
        {"profileId": "%s", "variables": {"quantity": "1"}}""".formatted(profileId))
        .then().statusCode(422).body("type", containsString("idempotency-key-reused"));
    assertThat(entries(key)).isEqualTo(1);
  }

  @Test
  void twoConcurrentRequestsWithOneKeyGetOneEntryAndTheSameAnswer() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      // several rounds, so that either body arrives first
      for (int round = 0; round < 4; round++) {
        // a profile per round: the journey takes no profile that is already in it
        profileId = createProfile(uniqueEmail("idem"), "Idem");
        String key = UUID.randomUUID().toString();
        String[] bodies = sameRequestInTwoOrders();
        int first = round % 2;
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<Response>> answers = List.of(0, 1).stream().map(i -> threads.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          return enter(key, bodies[(i + first) % 2]);
        })).toList();
        Response a = answers.get(0).get(30, TimeUnit.SECONDS);
        Response b = answers.get(1).get(30, TimeUnit.SECONDS);

        assertThat(List.of(a.statusCode(), b.statusCode())).as("round %d", round).containsExactly(201, 201);
        assertThat(b.<String>path("entryId")).isEqualTo(a.<String>path("entryId"));
        assertThat(List.of(a.header("Idempotent-Replayed"), b.header("Idempotent-Replayed")))
            .containsExactlyInAnyOrder("false", "true");
        assertThat(entries(key)).isEqualTo(1);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void anEntryFingerprintedBeforeFingerprintsWereCanonicalStillAnswersItsRetry() throws Exception {
    String key = UUID.randomUUID().toString();
    String body = """
        {"profileId": "%s", "variables": {"cartId": "c-9", "total": 12}}""".formatted(profileId);
    String first = enter(key, body).then().statusCode(201).extract().path("entryId");
    // as the entry row was written before the upgrade: the profile id, then the variables' TreeMap.toString()
    String legacy = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest((profileId + new TreeMap<>(Map.of("cartId", "c-9", "total", 12))).getBytes(StandardCharsets.UTF_8)));
    jdbc.sql("UPDATE journey_entry SET request_hash = ? WHERE id = ?").params(legacy, first).update();

    String retried = enter(key, body).then().statusCode(201).header("Idempotent-Replayed", "true").extract().path("entryId");

    assertThat(retried).isEqualTo(first);
  }
}
