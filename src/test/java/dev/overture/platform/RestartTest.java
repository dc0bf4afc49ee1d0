package dev.overture.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.journey.Journeys;
import dev.overture.profile.Profiles;
import dev.overture.support.StandaloneApps;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The default set-up (no DB_URL: embedded MariaDB with its data under a directory of ours): an
 * entry made before a restart still waits at the two-day timer after it.
 */
@Tag(StandaloneApps.TAG)
class RestartTest {

  private static final Path DIR = Path.of("target", "restart-test");

  @Test
  void entriesWaitAtTheTimerAcrossARestart() throws IOException {
    StandaloneApps.deleteRecursively(DIR);
    String profileId;
    String instanceId;
    try (ConfigurableApplicationContext app = StandaloneApps.start(DIR)) {
      Profiles profiles = app.getBean(Profiles.class);
      profileId = profiles.upsert(Map.of("email", "restart@example.com"), Map.of("firstName", "Rita")).profile().id();
      app.getBean(Consents.class).record(profileId, Channel.EMAIL, Purpose.MARKETING, true, "test", "test");
      instanceId = app.getBean(Journeys.class).enter("welcome", profileId, Map.of(), "restart-1").entry().processInstanceId();
      RuntimeService runtime = app.getBean(RuntimeService.class);
      await().atMost(Duration.ofSeconds(60)).until(() ->
          runtime.createProcessInstanceQuery().processInstanceId(instanceId).activityIdIn("Gateway_PurchaseOrTimeout").count() == 1);
    }
    assertThat(DIR.resolve("mariadb").resolve("data")).isDirectory();

    try (ConfigurableApplicationContext app = StandaloneApps.start(DIR)) {
      RuntimeService runtime = app.getBean(RuntimeService.class);
      assertThat(runtime.createProcessInstanceQuery().processInstanceId(instanceId).processInstanceBusinessKey(profileId)
          .activityIdIn("Gateway_PurchaseOrTimeout").count()).isEqualTo(1);
      assertThat(app.getBean(ManagementService.class).createJobQuery().processInstanceId(instanceId).timers().count())
          .as("the two-day timer is still scheduled").isEqualTo(1);
      assertThat(app.getBean(Journeys.class).enter("welcome", profileId, Map.of(), "restart-1").replayed())
          .as("the idempotency key survived too").isTrue();
    }
  }
}
