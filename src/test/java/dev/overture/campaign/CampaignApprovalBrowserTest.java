package dev.overture.campaign;

import static dev.overture.campaign.CampaignFixtures.draftEmailCreative;
import static dev.overture.campaign.CampaignFixtures.unique;
import static dev.overture.campaign.CampaignFixtures.user;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.overture.delivery.Creatives;
import dev.overture.support.AppTestBase;
import dev.overture.support.Browser;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The acceptance test of the approval flow, in a real browser: a creative reviewer, a compliance
 * officer and the author work the campaign in Tasklist, and the API shows the outcome.
 */
class CampaignApprovalBrowserTest extends AppTestBase {

  @Autowired IdentityService identity;
  @Autowired TaskService tasks;
  @Autowired org.camunda.bpm.engine.ManagementService management;
  @Autowired JdbcClient jdbc;
  @Autowired Creatives creatives;

  /** The Camunda Form that Tasklist renders (form-js). */
  static final By FORM = By.cssSelector(".fjs-container");

  Browser browser;

  @BeforeEach
  void openBrowser() {
    browser = new Browser();
  }

  @AfterEach
  void closeBrowser() {
    browser.close();
  }

  @Test
  void threePeopleTakeACampaignThroughReviewRejectionAndRevisionInTasklist() {
    String author = user(identity, "marketer", "marketers");
    String reviewer = user(identity, "reviewer", "creative-reviewers", "compliance-officers");
    String officer = user(identity, "officer", "compliance-officers");
    String creativeKey = draftEmailCreative(creatives, "Spring sale, {{firstName}}: 20% off",
        "Hi {{firstName}}, everything in the shop is 20% off until Sunday.");
    String profileId = createProfile(uniqueEmail("browser"), "Kim");

    // the author submits through the API with their own Camunda credentials
    String campaignId = given().auth().preemptive().basic(author, author + "-pw").contentType(ContentType.JSON)
        .body(Map.of("key", unique("spring"), "name", "Spring sale", "journeyKey", "welcome", "profileId", profileId,
            "creativeKeys", List.of(creativeKey), "startAt", Instant.now().plusSeconds(86400).toString(),
            "endAt", Instant.now().plusSeconds(8 * 86400).toString()))
        .post("/api/campaigns")
        .then().statusCode(201)
        .body("author", equalTo(author))
        .body("status", equalTo("in_creative_review"))
        .extract().path("id");

    // creative reviewer: claims, sees the rendered creative in the form, approves
    signIn(reviewer);
    openTask("Review creative");
    claim();
    browser.waitForText(FORM, "Spring sale, Alex: 20% off");
    assertThat(browser.text(FORM))
        .contains("everything in the shop is 20% off").contains(creativeKey + " v1").contains("welcome")
        .contains("Audience size");
    browser.screenshot("creative-review-form");
    assertThat(browser.driver().findElements(By.cssSelector(".ce-eol-banner")).stream().filter(e -> e.isDisplayed()))
        .as("no vendor banner").isEmpty();
    choose("Approve");
    complete();
    awaitStatus(campaignId, "in_compliance_review");

    // the same person may not do the compliance review: Tasklist shows why
    openTask("Review compliance");
    claim();
    choose("Approve");
    browser.click(By.xpath("//button[normalize-space()='Complete']"));
    browser.waitForText(By.cssSelector("body"), "Four-eyes rule");
    browser.screenshot("four-eyes-refusal");
    tasks.setAssignee(tasks.createTaskQuery().processInstanceBusinessKey(campaignId).singleResult().getId(), null);
    browser.signOut();

    // compliance officer: rejects with a comment
    signIn(officer);
    openTask("Review compliance");
    claim();
    browser.waitForText(FORM, "Legal footer");
    choose("Reject");
    browser.type(By.cssSelector(".fjs-container textarea"), "Name the legal entity in the subject line");
    complete();
    awaitStatus(campaignId, "needs_revision");
    browser.signOut();

    // the author: reads the comment, revises the subject, resubmits
    signIn(author);
    openTask("Revise campaign");
    browser.waitForText(FORM, "Name the legal entity in the subject line");
    browser.type(By.xpath("//label[contains(.,'New subject')]/following::input[1]"), "Spring sale by Overture Ltd: 20% off");
    choose("Resubmit");
    complete();
    awaitStatus(campaignId, "in_creative_review");
    browser.signOut();

    api().get("/api/campaigns/{id}", campaignId).then().statusCode(200)
        .body("status", equalTo("in_creative_review"))
        .body("currentTask.key", equalTo("Task_CreativeReview"))
        .body("currentTask.candidateGroups", hasItem("creative-reviewers"))
        .body("audit.find { it.step == 'creative-review' }.actor", equalTo(reviewer))
        .body("audit.find { it.decision == 'reject' }.actor", equalTo(officer))
        .body("audit.find { it.decision == 'reject' }.creativeVersions", equalTo(creativeKey + " v1 (email)"))
        .body("audit.find { it.decision == 'reject' }.comment", equalTo("Name the legal entity in the subject line"))
        .body("audit.find { it.decision == 'resubmit' }.actor", equalTo(author));
    assertThat(jdbc.sql("SELECT subject FROM creative WHERE creative_key = ? AND version = 2").param(creativeKey)
        .query(String.class).single()).isEqualTo("Spring sale by Overture Ltd: 20% off");

    // second round on version 2: both approve in Tasklist, and at the start date the audience is enrolled
    signIn(reviewer);
    openTask("Review creative");
    claim();
    browser.waitForText(FORM, "Spring sale by Overture Ltd: 20% off");
    choose("Approve");
    complete();
    awaitStatus(campaignId, "in_compliance_review");
    browser.signOut();
    signIn(officer);
    openTask("Review compliance");
    claim();
    choose("Approve");
    complete();
    awaitStatus(campaignId, "scheduled");
    browser.signOut();

    // the start date is tomorrow: the test fires the start timer instead of waiting for it
    String processInstanceId = api().get("/api/campaigns/{id}", campaignId).then().extract().path("processInstanceId");
    var startTimer = management.createJobQuery().processInstanceId(processInstanceId).timers()
        .activityId("Event_StartAtReached").singleResult();
    management.executeJob(startTimer.getId());
    awaitStatus(campaignId, "running");
    api().get("/api/campaigns/{id}", campaignId).then()
        .body("enrolled", equalTo(1))
        .body("audit.find { it.decision == 'creatives-approved' }.creativeVersions", equalTo(creativeKey + " v2 (email)"));
  }

  @Test
  void tasklistCockpitAndAdminCarryOurNameAndShowNoVendorBanner() {
    for (String app : List.of("tasklist", "cockpit", "admin")) {
      browser.open("http://localhost:" + port + "/camunda/app/" + app + "/default/#/login");
      browser.fill(By.cssSelector("input[ng-model='username']"), ADMIN);
      browser.fill(By.cssSelector("input[type='password']"), ADMIN_PASSWORD);
      browser.click(By.cssSelector("button[type='submit']"));
      String name = Character.toUpperCase(app.charAt(0)) + app.substring(1);
      browser.waitForText(By.cssSelector(".navbar-brand"), "Overture " + name);
      // the community-edition banner is rendered into the page; our user-styles.css hides it
      browser.until(d -> !d.findElements(By.cssSelector(".ce-eol-banner")).isEmpty());
      assertThat(browser.driver().findElements(By.cssSelector(".ce-eol-banner")))
          .noneMatch(org.openqa.selenium.WebElement::isDisplayed);
      browser.screenshot("branding-" + app);
      browser.signOut();
    }
  }

  private void signIn(String user) {
    browser.open("http://localhost:" + port + "/camunda/app/tasklist/default/#/login");
    browser.fill(By.cssSelector("input[ng-model='username']"), user);
    browser.fill(By.cssSelector("input[type='password']"), user + "-pw");
    browser.click(By.cssSelector("button[type='submit']"));
    browser.visible(By.xpath("//*[contains(@class,'navbar-brand') and contains(.,'Tasklist')]"));
  }

  private void openTask(String name) {
    browser.click(By.xpath("//*[contains(@class,'tasks-list')]//*[normalize-space(text())='" + name + "']"));
    browser.visible(By.xpath("//*[contains(@class,'task-details') or contains(@class,'task-card')]//*[contains(normalize-space(.),'" + name + "')]"));
  }

  private void claim() {
    browser.click(By.xpath("//*[self::button or self::a][normalize-space()='Claim']"));
    browser.visible(By.xpath("//*[self::button or self::a][normalize-space()='Complete' or normalize-space()='Unclaim']"));
  }

  private void choose(String optionStart) {
    browser.click(By.xpath("//*[contains(@class,'fjs-container')]//label[starts-with(normalize-space(.),'" + optionStart + "')]"));
  }

  private void complete() {
    browser.click(By.xpath("//button[normalize-space()='Complete']"));
    browser.waitUntilGone(By.xpath("//button[normalize-space()='Complete']"));
  }

  private void awaitStatus(String campaignId, String status) {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
        api().get("/api/campaigns/{id}", campaignId).then().body("status", equalTo(status)));
  }
}
