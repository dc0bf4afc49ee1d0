package dev.overture.event.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.event.EventReactions;
import dev.overture.profile.Profiles;
import dev.overture.support.AppTestBase;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a reaction reads along with the lock of a batch reaches it only where it still holds: for the first event of
 * a profile in the batch, and only for a profile without merged ids; every event still reaches the reaction.
 */
class ReadAlongTest extends AppTestBase {

  @Autowired CorrelationQueue queue;
  @Autowired TransactionTemplate tx;
  @Autowired ObjectMapper json;
  @Autowired EventsProperties props;
  @Autowired JdbcClient jdbc;
  @Autowired Profiles profiles;
  @Autowired ReactionLatency latency;

  /** Reads the profile id with a prefix given as a parameter, and records what it was handed. */
  private static final class Probe implements EventReactions {
    final List<Occurred> seen = Collections.synchronizedList(new ArrayList<>());

    @Override
    public boolean anyReactsTo(String eventType) {
      return true;
    }

    @Override
    public List<Reaction> react(List<Occurred> events) {
      seen.addAll(events);
      return Collections.nCopies(events.size(), new Reaction(0, 0));
    }

    @Override
    public Optional<ReadAlong> readAlong() {
      return Optional.of(new ReadAlong("probe", "(SELECT CONCAT(:probePrefix, e.profile_id))", Map.of("probePrefix", "seen:")));
    }
  }

  /** A stored event that no poller takes: its lease runs for an hour. */
  private long store(String profileId, String eventId) {
    GeneratedKeyHolder id = new GeneratedKeyHolder();
    jdbc.sql("INSERT INTO customer_event (event_id, type, profile_id, occurred_at, received_at, properties, source, claimed_until) "
            + "VALUES (?, 'probe.read', ?, ?, ?, '{}', 'test', ?)")
        .params(eventId, profileId, Timestamp.from(Instant.now()), Timestamp.from(Instant.now()),
            Timestamp.from(Instant.now().plus(1, ChronoUnit.HOURS)))
        .update(id, "id");
    return id.getKey().longValue();
  }

  @Test
  void onlyAProfilesFirstEventWithoutMergedIdsGetsWhatWasReadAlong() {
    String single = createProfile(uniqueEmail("along-a"), "A");
    String survivor = createProfile(uniqueEmail("along-b"), "B");
    String merged = createProfile(uniqueEmail("along-c"), "C");
    String kept = profiles.merge(merged, survivor, "read-along test");
    String tag = UUID.randomUUID().toString();
    List<Long> rows = List.of(store(single, tag + "-1"), store(single, tag + "-2"), store(kept, tag + "-3"));
    Probe probe = new Probe();

    new EventCorrelator(queue, new AllReactions(List.of(probe)), tx, json, props, latency).correlateAll(rows);

    assertThat(probe.seen).extracting(EventReactions.Occurred::eventId).containsExactly(tag + "-1", tag + "-2", tag + "-3");
    assertThat(probe.seen.get(0).readAlong()).isEqualTo(Map.of("probe", "seen:" + single));
    assertThat(probe.seen.get(1).readAlong()).isEmpty();
    assertThat(probe.seen.get(2).profileIds()).hasSize(2);
    assertThat(probe.seen.get(2).readAlong()).isEmpty();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM customer_event WHERE id IN (:ids) AND processed_at IS NOT NULL")
        .param("ids", rows).query(Integer.class).single()).isEqualTo(3);
  }
}
