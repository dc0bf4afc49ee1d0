package dev.overture.experiment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BucketsTest {

  private static final Map<String, Integer> WINBACK = Buckets.weights("Task_Split", "A:45,B:45,control:10");

  @Test
  void weightsMapOntoConsecutiveBucketRanges() {
    assertThat(Buckets.variant(WINBACK, 0)).isEqualTo("A");
    assertThat(Buckets.variant(WINBACK, 4499)).isEqualTo("A");
    assertThat(Buckets.variant(WINBACK, 4500)).isEqualTo("B");
    assertThat(Buckets.variant(WINBACK, 8999)).isEqualTo("B");
    assertThat(Buckets.variant(WINBACK, 9000)).isEqualTo("control");
    assertThat(Buckets.variant(WINBACK, 9999)).isEqualTo("control");
  }

  @Test
  void everyBucketBelongsToExactlyTheShareOfItsWeight() {
    Map<String, Integer> thirds = Buckets.weights("t", "x:1,y:1,z:1");
    Map<String, Integer> buckets = new HashMap<>();
    IntStream.range(0, Buckets.BUCKETS).forEach(b -> buckets.merge(Buckets.variant(thirds, b), 1, Integer::sum));
    assertThat(buckets).containsEntry("x", 3333).containsEntry("y", 3333).containsEntry("z", 3334);
    Map<String, Integer> winback = new HashMap<>();
    IntStream.range(0, Buckets.BUCKETS).forEach(b -> winback.merge(Buckets.variant(WINBACK, b), 1, Integer::sum));
    assertThat(winback).containsEntry("A", 4500).containsEntry("B", 4500).containsEntry("control", 1000);
  }

  @Test
  void overManyProfilesTheSharesApproachTheWeights() {
    Map<String, Integer> counts = new HashMap<>();
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      counts.merge(Buckets.variant(WINBACK, Buckets.bucket("winback-offer", UUID.nameUUIDFromBytes(("p" + i).getBytes()).toString())),
          1, Integer::sum);
    }
    // the binomial standard deviation of the control's 10 % of 100,000 is under 0.1 %: four of them
    assertThat(counts.get("A") / (double) n).isBetween(0.446, 0.454);
    assertThat(counts.get("B") / (double) n).isBetween(0.446, 0.454);
    assertThat(counts.get("control") / (double) n).isBetween(0.0962, 0.1038);
  }

  @Test
  void theBucketDependsOnProfileAndExperimentOnly() {
    String profile = UUID.randomUUID().toString();
    assertThat(Buckets.bucket("winback-offer", profile)).isEqualTo(Buckets.bucket("winback-offer", profile))
        .isBetween(0, Buckets.BUCKETS - 1);
    long differ = IntStream.range(0, 200).mapToObj(i -> UUID.randomUUID().toString())
        .filter(p -> Buckets.bucket("one", p) != Buckets.bucket("two", p)).count();
    assertThat(differ).as("other experiments draw independently").isGreaterThan(190);
  }

  @Test
  void malformedVariantsAreAModellingError() {
    assertThatThrownBy(() -> Buckets.weights("Task_Split", "A:50;B:50")).hasMessageContaining("Task_Split");
    assertThatThrownBy(() -> Buckets.weights("Task_Split", "A:0,B:0")).hasMessageContaining("zero");
    assertThatThrownBy(() -> Buckets.weights("Task_Split", "A:50,A:50")).hasMessageContaining("twice");
  }
}
