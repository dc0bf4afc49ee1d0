package dev.overture.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.profile.Profiles;
import dev.overture.support.AppTestBase;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Frequency-cap slots follow a merge to the survivor, also for a reservation made under the merged-away id. */
class FrequencyCapsMergeTest extends AppTestBase {

  @Autowired FrequencyCaps caps;
  @Autowired Profiles profiles;

  @Test
  void aReservationUnderTheMergedAwayIdCountsAgainstTheSurvivorsCap() {
    String older = profile();
    String younger = profile();
    int cap = caps.capOf("push").orElseThrow().max();
    assertThat(caps.reserve(older, "push", UUID.randomUUID().toString())).isTrue();
    for (int i = 1; i < cap; i++) {
      assertThat(caps.reserve(younger, "push", UUID.randomUUID().toString())).isTrue();
    }

    String survivor = profiles.merge(older, younger, "test: one customer");
    String mergedAway = survivor.equals(older) ? younger : older;

    assertThat(caps.reserve(survivor, "push", UUID.randomUUID().toString())).as("the survivor has used its cap").isFalse();
    // a dispatcher that read the profile just before the merge still names the merged-away id
    assertThat(caps.reserve(mergedAway, "push", UUID.randomUUID().toString())).as("that id is the survivor's now").isFalse();
  }

  private String profile() {
    return profiles.upsert(Map.of("email", "cap-" + UUID.randomUUID() + "@example.com"), Map.of()).profile().id();
  }
}
