package dev.overture.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.support.AppTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.RepeatedTest;
import org.springframework.beans.factory.annotation.Autowired;

/** Many threads reserving cap slots for one profile at the same instant: exactly the cap succeeds. */
class FrequencyCapsConcurrencyTest extends AppTestBase {

  private static final int THREADS = 16;

  @Autowired
  FrequencyCaps caps;

  @Autowired
  org.springframework.jdbc.core.simple.JdbcClient jdbc;

  @RepeatedTest(3)
  void concurrentReservationsNeverExceedTheCap() throws Exception {
    String profileId = UUID.randomUUID().toString();
    int cap = caps.capOf("email").orElseThrow().max();
    CyclicBarrier start = new CyclicBarrier(THREADS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Callable<Integer> worker = () -> {
          start.await();
          int granted = 0;
          for (int i = 0; i < 3; i++) {
            if (caps.reserve(profileId, "email", UUID.randomUUID().toString())) {
              granted++;
            }
          }
          return granted;
        };
        results.add(pool.submit(worker));
      }
      int granted = 0;
      for (Future<Integer> f : results) {
        granted += f.get();
      }
      assertThat(granted).isEqualTo(cap);
    } finally {
      pool.shutdownNow();
    }
  }

  @org.junit.jupiter.api.Test
  void aRetriedMessageKeepsItsSlotAndAReleasedSlotIsFreeAgain() {
    String profileId = UUID.randomUUID().toString();
    String first = UUID.randomUUID().toString();
    int cap = caps.capOf("email").orElseThrow().max();
    assertThat(caps.reserve(profileId, "email", first)).isTrue();
    for (int i = 1; i < cap; i++) {
      assertThat(caps.reserve(profileId, "email", UUID.randomUUID().toString())).isTrue();
    }
    assertThat(caps.reserve(profileId, "email", UUID.randomUUID().toString())).as("over the cap").isFalse();
    assertThat(caps.reserve(profileId, "email", first)).as("the same message again").isTrue();
    caps.release(first);
    assertThat(caps.reserve(profileId, "email", UUID.randomUUID().toString())).isTrue();
  }

  @org.junit.jupiter.api.Test
  void slotsPastTheWindowNoLongerCountAndAreCleared() {
    String profileId = UUID.randomUUID().toString();
    int cap = caps.capOf("email").orElseThrow().max();
    for (int i = 0; i < cap; i++) {
      assertThat(caps.reserve(profileId, "email", UUID.randomUUID().toString())).isTrue();
    }
    assertThat(caps.reserve(profileId, "email", UUID.randomUUID().toString())).as("over the cap").isFalse();
    // the window passes for every slot the profile holds
    jdbc.sql("UPDATE frequency_slot SET reserved_at = reserved_at - INTERVAL 400 DAY WHERE profile_id = ?").param(profileId).update();

    assertThat(caps.reserve(profileId, "email", UUID.randomUUID().toString())).isTrue();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM frequency_slot WHERE profile_id = ?").param(profileId).query(Integer.class).single())
        .as("the expired %d cleared, the new one kept", cap).isOne();
  }
}
