package dev.overture.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.support.AppTestBase;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The global holdout's membership: the same hash in Java (the dispatcher) and in SQL (the results), and its share. */
class HoldoutTest extends AppTestBase {

  @Autowired JdbcClient jdbc;
  @Autowired Holdout appHoldout;

  @Test
  void theDatabaseDrawsTheSameBucketsAsTheDispatcherAndHalfTheProfilesAreHeldOutAtFiftyPercent() {
    Holdout half = Holdouts.at(50, jdbc);
    List<String> ids = IntStream.range(0, 300).mapToObj(i -> UUID.randomUUID().toString()).toList();
    for (String id : ids) {
      int sql = jdbc.sql("SELECT " + Holdout.SQL_BUCKET.formatted(":id")).param("holdoutSalt", half.salt()).param("id", id)
          .query(Integer.class).single();
      assertThat(sql).as(id).isEqualTo(half.bucket(id));
    }
    long held = ids.stream().filter(half::contains).count();
    assertThat(held).as("about half of 300").isBetween(110L, 190L);
    assertThat(half.threshold()).isEqualTo(Holdout.BUCKETS / 2);
  }

  @Test
  void theAppsHoldoutIsTheConfiguredNoneAndSharesTheInstallationsSalt() {
    assertThat(appHoldout.percent()).isZero();
    assertThat(appHoldout.contains(UUID.randomUUID().toString())).isFalse();
    assertThat(Holdouts.at(50, jdbc).salt()).isEqualTo(appHoldout.salt());
  }
}
