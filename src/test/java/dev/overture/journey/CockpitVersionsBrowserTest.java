package dev.overture.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.campaign.CampaignFixtures;
import dev.overture.support.AppTestBase;
import dev.overture.support.Browser;
import dev.overture.support.MigratingJourney;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A marketer opens a journey's Versions tab in Cockpit, reads each version's running instances and entries, previews
 * the migration of version 1's waiting customers to the live version 2 (instances per element from the dry run),
 * starts it and watches it complete; the table then shows them on version 2. A POST with the session but without the
 * webapps' CSRF token, as a page of another site would send it, is refused.
 */
class CockpitVersionsBrowserTest extends AppTestBase {

  private static final int CUSTOMERS = 4;

  @Autowired IdentityService identity;
  @Autowired RepositoryService repository;
  @Autowired JdbcClient jdbc;

  @Test
  void aMarketerPreviewsAndRunsAMigrationFromTheVersionsTab() {
    MigratingJourney journey = MigratingJourney.named("cockpit-versions");
    repository.createDeployment().name(journey.key()).addString(journey.key() + ".bpmn", journey.waits()).deploy();
    for (int i = 0; i < CUSTOMERS; i++) {
      String profileId = createProfile(uniqueEmail("versions"), "V" + i);
      api().body(Map.of("profileId", profileId)).post("/api/journeys/{key}/entries", journey.key()).then().statusCode(201);
    }
    repository.createDeployment().name(journey.key()).addString(journey.key() + ".bpmn", journey.addsAStep()).deploy();
    String live = repository.createProcessDefinitionQuery().processDefinitionKey(journey.key()).latestVersion().singleResult().getId();
    String user = CampaignFixtures.user(identity, "versions", "marketers");

    try (Browser browser = new Browser()) {
      browser.open(cockpit("#/login"));
      browser.fill(By.cssSelector("input[ng-model='username']"), user);
      browser.fill(By.cssSelector("input[type='password']"), user + "-pw");
      browser.click(By.cssSelector("button[type='submit']"));
      browser.waitForText(By.cssSelector(".navbar-brand"), "Overture Cockpit");
      browser.open(cockpit("#/process-definition/" + live + "/runtime"));
      browser.click(By.xpath("//a[normalize-space()='Versions']"));

      browser.waitForText(row(1, "running"), String.valueOf(CUSTOMERS));
      assertThat(browser.text(row(1, "entered"))).isEqualTo(String.valueOf(CUSTOMERS));
      assertThat(browser.text(row(1, "state"))).isEqualTo("earlier");
      assertThat(browser.text(row(2, "state"))).isEqualTo("live");
      assertThat(browser.text(row(2, "running"))).isEqualTo("0");

      assertThat(forgedPost(browser, journey)).as("a session POST without the CSRF token").isEqualTo(401L);

      browser.click(By.cssSelector(".overture-open-migrate"));
      browser.click(By.cssSelector(".overture-preview"));
      By waitRow = By.cssSelector(".overture-migration-preview tr[data-element-id='" + MigratingJourney.WAIT + "']");
      browser.visible(waitRow);
      assertThat(browser.text(By.cssSelector(".overture-migration-preview tr[data-element-id='Event_Wait'] .instances")))
          .isEqualTo(String.valueOf(CUSTOMERS));
      assertThat(browser.text(By.cssSelector(".overture-migration-preview tr[data-element-id='Event_Wait'] .target")))
          .isEqualTo(MigratingJourney.WAIT);
      assertThat(browser.visible(By.cssSelector(".overture-migration-failures")).getAttribute("data-count")).isEqualTo("0");
      assertThat(versionsInLog(journey)).as("the preview moved nobody").containsOnly(1);

      browser.click(By.cssSelector(".overture-start"));
      browser.visible(By.cssSelector(".overture-migration-progress[data-state='completed']"));
      assertThat(browser.visible(By.cssSelector(".overture-migration-progress")).getAttribute("data-migrated"))
          .isEqualTo(String.valueOf(CUSTOMERS));
      browser.waitForText(row(2, "running"), String.valueOf(CUSTOMERS));
      assertThat(browser.text(row(2, "migrated-in"))).isEqualTo(String.valueOf(CUSTOMERS));
      assertThat(browser.text(row(1, "migrated-out"))).isEqualTo(String.valueOf(CUSTOMERS));
      assertThat(browser.text(row(1, "running"))).isEqualTo("0");
      browser.screenshot("cockpit-versions");
    }
    assertThat(versionsInLog(journey)).containsOnly(2);
    assertThat(jdbc.sql("SELECT started_by FROM journey_migration WHERE journey_key = ?").param(journey.key()).query(String.class)
        .list()).as("the migration is recorded as the marketer's").isEqualTo(List.of("user:" + user));
  }

  /** What a page of another site can make the signed-in browser send: the session cookie, no CSRF token. */
  private static Object forgedPost(Browser browser, MigratingJourney journey) {
    return browser.driver().executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        fetch('/api/journeys/%s/migrations', {method: 'POST', credentials: 'same-origin',
            headers: {'Content-Type': 'application/json'}, body: JSON.stringify({fromVersion: 1, toVersion: 2})})
          .then(r => done(r.status), e => done(String(e)));""".formatted(journey.key()));
  }

  private static By row(int version, String column) {
    return By.cssSelector(".overture-versions tr[data-version='" + version + "'] td." + column);
  }

  private List<Integer> versionsInLog(MigratingJourney journey) {
    return jdbc.sql("SELECT version FROM journey_run WHERE journey_key = ?").param(journey.key()).query(Integer.class).list();
  }

  private String cockpit(String fragment) {
    return "http://localhost:" + port + "/camunda/app/cockpit/default/" + fragment;
  }
}
