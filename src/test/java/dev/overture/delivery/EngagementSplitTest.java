package dev.overture.delivery;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.overture.journey.Journeys;
import dev.overture.support.JourneyRuns;
import dev.overture.support.StatementCounting;
import dev.overture.support.StatementCounting.Recording;
import dev.overture.support.TestMail;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ParseException;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * "Split on engagement" behind "Wait for engagement" (test-journeys/engagement-split.bpmn): a real email through
 * GreenMail, then the open pixel or click redirect out of that email over HTTP, the provider's bounce report, or the
 * window's timer, and the instance ends at the branch of what happened.
 */
class EngagementSplitTest extends DeliveryTestBase {

  private static final Pattern OPEN = Pattern.compile("src=\"[^\"]*(/t/o/[^\"]+)\"");
  private static final Pattern CLICK = Pattern.compile("href=\"[^\"]*(/t/c/[^\"]+)\"");

  @Autowired RepositoryService repository;
  @Autowired RuntimeService runtime;
  @Autowired ManagementService management;

  @Test
  void theOpenPixelOfTheSentEmailEndsTheWaitAndRoutesToOpened() {
    Started s = start("opened");

    given().get(link(s.email(), OPEN)).then().statusCode(200).contentType("image/gif");

    assertThat(awaitEnd(s)).isEqualTo("EndEvent_Opened");
    assertThat(management.createJobQuery().processInstanceId(s.instanceId()).count()).as("the window's timer went with the wait").isZero();
  }

  @Test
  void aClickInTheSentEmailRoutesToClicked() {
    Started s = start("clicked");

    given().redirects().follow(false).get(link(s.email(), CLICK)).then().statusCode(302)
        .header("Location", "https://shop.example.com/offer?x=1");

    assertThat(awaitEnd(s)).isEqualTo("EndEvent_Clicked");
  }

  @Test
  void noHitWithinTheWindowRoutesToNoneAndALaterOpenIsOnlyRecorded() {
    Started s = start("none");
    link(s.email(), OPEN); // sent and delivered, never opened

    Job window = management.createJobQuery().processInstanceId(s.instanceId()).timers().singleResult();
    management.executeJob(window.getId());

    assertThat(awaitEnd(s)).isEqualTo("EndEvent_None");
    // an open after the instance stopped waiting: recorded as any open, nothing fails, nothing moves
    given().get(link(s.email(), OPEN)).then().statusCode(200);
    assertThat(jdbc.sql("SELECT opened_at IS NOT NULL FROM outbox_message WHERE id = ?").param(s.outboxId())
        .query(Boolean.class).single()).isTrue();
    assertThat(JourneyRuns.endElement(jdbc, s.instanceId())).isEqualTo("EndEvent_None");
  }

  @Test
  void aHardBounceReportedByTheProviderRoutesToBounced() {
    Started s = start("bounced");

    api().body(Map.of("type", "hard_bounce", "detail", "550 5.1.1 mailbox does not exist"))
        .post("/api/deliveries/{id}/feedback", s.outboxId()).then().statusCode(200);

    assertThat(awaitEnd(s)).isEqualTo("EndEvent_Bounced");
  }

  @Test
  void aComplaintReportedByTheProviderIsAnUnsubscribe() {
    Started s = start("complaint");

    api().body(Map.of("type", "complaint")).post("/api/deliveries/{id}/feedback", s.outboxId()).then().statusCode(200);

    assertThat(awaitEnd(s)).isEqualTo("EndEvent_Unsubscribed");
  }

  @Test
  void anUnsubscribeWinsOverTheOpenThatCameBeforeIt() throws Exception {
    Started s = start("unsub");
    MimeMessage mail = awaitMail(s.email());
    String header = mail.getHeader("List-Unsubscribe")[0];
    String unsubscribe = header.substring(header.indexOf("/t/u/"), header.length() - 1);
    // the journey is paused in the window, so the open cannot end the wait: both outcomes are in when it resumes
    runtime.suspendProcessInstanceById(s.instanceId());
    given().get(link(s.email(), OPEN)).then().statusCode(200);
    given().contentType("application/x-www-form-urlencoded").formParam("List-Unsubscribe", "One-Click").post(unsubscribe)
        .then().statusCode(200);
    runtime.activateProcessInstanceById(s.instanceId());
    assertThat(JourneyRuns.endElement(jdbc, s.instanceId())).as("still waiting").isNull();

    management.executeJob(management.createJobQuery().processInstanceId(s.instanceId()).timers().singleResult().getId());

    assertThat(awaitEnd(s)).isEqualTo("EndEvent_Unsubscribed");
  }

  @Test
  void whatAnOpenCostsWhenItsInstanceWaitsAndWhenItNoLongerDoes() {
    Started s = start("cost");
    String pixel = link(s.email(), OPEN);
    Predicate<String> http = thread -> thread.contains("-exec-");
    Predicate<String> stepRead = sql -> sql.startsWith("SELECT process_instance_id, activity_id FROM outbox_message");

    int waiting;
    int stepReads;
    try (Recording r = StatementCounting.start()) {
      given().get(pixel).then().statusCode(200);
      r.stop();
      waiting = r.statements(http);
      stepReads = r.statements(http, stepRead);
    }
    assertThat(awaitEnd(s)).isEqualTo("EndEvent_Opened");
    String click = link(s.email(), CLICK);
    int ended;
    try (Recording r = StatementCounting.start()) {
      given().redirects().follow(false).get(click).then().statusCode(302);
      r.stop();
      ended = r.statements(http);
      assertThat(r.statements(http, stepRead)).isEqualTo(1);
      assertThat(r.statements(http, sql -> sql.contains("ACT_RU_EXECUTION") && !sql.startsWith("SELECT"))).as("no engine write").isZero();
    }
    LoggerFactory.getLogger(getClass()).info("A first open of a waiting instance's message: {} statements on the request thread; "
        + "a first click after the instance moved on: {}", waiting, ended);
    assertThat(stepReads).isEqualTo(1);
  }

  @Test
  void anOpenEndsOnlyTheWaitOfTheInstanceWhoseMessageItWas() {
    // two journeys of one profile wait for engagement with their step Task_SendOffer: correlation by profile would move both
    String email = uniqueEmail("two");
    String profileId = createProfile(email, "Ada");
    String creative = approvedCreative("two");
    String first = startFor(profileId, creative);
    String second = startFor(profileId, creative);
    await().atMost(Duration.ofSeconds(30)).until(() -> TestMail.to(email).size() == 2);
    String firstOutbox = jdbc.sql("SELECT id FROM outbox_message WHERE process_instance_id = ?").param(first).query(String.class).single();
    MimeMessage firstMail = TestMail.to(email).stream().filter(m -> messageId(m).contains(firstOutbox)).findFirst().orElseThrow();

    given().get(link(firstMail, OPEN)).then().statusCode(200);

    assertThat(await().atMost(Duration.ofSeconds(20)).until(() -> JourneyRuns.endElement(jdbc, first), e -> e != null))
        .isEqualTo("EndEvent_Opened");
    assertThat(JourneyRuns.endElement(jdbc, second)).isNull();
    assertThat(runtime.createEventSubscriptionQuery().processInstanceId(second).eventName(Engagements.MESSAGE).count()).isEqualTo(1);
  }

  @Test
  void deploymentRefusesAnEngagementStepThatNamesNoSendStepAndTheMessageWithoutTheTemplate() {
    String wrongStep = journey(uniqueKey("engaged-wrong"), "creative").replace(
        "<camunda:property name=\"engagementStep\" value=\"Task_SendOffer\" />\n        </camunda:properties>\n      </bpmn:extensionElements>\n      <bpmn:messageEventDefinition",
        "<camunda:property name=\"engagementStep\" value=\"Task_Nowhere\" />\n        </camunda:properties>\n      </bpmn:extensionElements>\n      <bpmn:messageEventDefinition");
    assertThatThrownBy(() -> repository.createDeployment().addString("wrong-step.bpmn", wrongStep).deploy())
        .isInstanceOf(ParseException.class).hasMessageContaining("Event_Engaged")
        .hasMessageContaining("engagementStep 'Task_Nowhere' is no Send step of this journey (Send steps here: [Task_SendOffer])");

    String bare = journey(uniqueKey("engaged-bare"), "creative")
        .replace("camunda:modelerTemplate=\"dev.overture.EngagementWait\" camunda:modelerTemplateVersion=\"1\"", "")
        .replace("<camunda:property name=\"engagementStep\" value=\"Task_SendOffer\" />\n        </camunda:properties>\n      </bpmn:extensionElements>\n      <bpmn:messageEventDefinition",
            "</camunda:properties>\n      </bpmn:extensionElements>\n      <bpmn:messageEventDefinition");
    assertThatThrownBy(() -> repository.createDeployment().addString("bare.bpmn", bare).deploy())
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("message overture/engaged ends only a Wait for engagement");

    String otherMessage = journey(uniqueKey("engaged-other"), "creative").replace("name=\"overture/engaged\"", "name=\"message.opened\"")
        .replace("<camunda:property name=\"engagementStep\" value=\"Task_SendOffer\" />\n          <camunda:property name=\"resultVariable\"",
            "<camunda:property name=\"engagementStep\" value=\"\" />\n          <camunda:property name=\"resultVariable\"");
    assertThatThrownBy(() -> repository.createDeployment().addString("other.bpmn", otherMessage).deploy())
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("element 'Event_Engaged': a Wait for engagement needs a message event with the message name overture/engaged")
        .hasMessageContaining("element 'Task_SplitOnEngagement': names no Send step");
  }

  /** A fresh copy of the test journey, its email sent to a fresh profile that consented; waiting in the window. */
  private Started start(String name) {
    String key = uniqueKey("engaged-" + name);
    repository.createDeployment().addString(key + ".bpmn", journey(key, approvedCreative(name))).deploy();
    String email = uniqueEmail(name);
    String profileId = createProfile(email, "Ada");
    setConsent(profileId, "email", "marketing", "granted");
    String instanceId = runtime.startProcessInstanceByKey(key, profileId, Map.of(Journeys.PROFILE_ID, profileId)).getId();
    String outboxId = deliveries.ofProfile(profileId).get(0).id();
    assertThat(awaitFinal(outboxId).status()).isEqualTo(Delivery.SENT);
    assertThat(runtime.createEventSubscriptionQuery().processInstanceId(instanceId).eventName(Engagements.MESSAGE).count())
        .as("waiting for engagement").isEqualTo(1);
    return new Started(instanceId, outboxId, email);
  }

  /** Another journey (a transactional copy, so that no frequency cap holds its email back) started for the profile. */
  private String startFor(String profileId, String creative) {
    String key = uniqueKey("engaged-two");
    repository.createDeployment().addString(key + ".bpmn", journey(key, creative)
        .replace("name=\"purpose\" value=\"marketing\"", "name=\"purpose\" value=\"transactional\"")).deploy();
    return runtime.startProcessInstanceByKey(key, profileId, Map.of(Journeys.PROFILE_ID, profileId)).getId();
  }

  private static String messageId(MimeMessage m) {
    try {
      return m.getMessageID();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Started(String instanceId, String outboxId, String email) {}

  private static String journey(String key, String creativeKey) {
    try (InputStream in = EngagementSplitTest.class.getResourceAsStream("/test-journeys/engagement-split.bpmn")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("JOURNEY_KEY", key).replace("CREATIVE_KEY", creativeKey);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private String awaitEnd(Started s) {
    return await().atMost(Duration.ofSeconds(20)).until(() -> JourneyRuns.endElement(jdbc, s.instanceId()), e -> e != null);
  }

  /** The tracking link of that kind in the email as it arrived in GreenMail. */
  private static String link(String email, Pattern kind) {
    return link(awaitMail(email), kind);
  }

  private static String link(MimeMessage mail, Pattern kind) {
    try {
      Matcher m = kind.matcher(TestMail.part(mail, "text/html"));
      assertThat(m.find()).as("the email carries the link").isTrue();
      return m.group(1).replace("&amp;", "&");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static MimeMessage awaitMail(String address) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> TestMail.to(address), l -> !l.isEmpty()).get(0);
  }
}
