package dev.overture.delivery.internal;

import dev.overture.consent.Channel;
import dev.overture.consent.ConsentDecision;
import dev.overture.consent.Purpose;
import dev.overture.consent.Suppressions;
import dev.overture.delivery.Creative;
import dev.overture.delivery.Creatives;
import dev.overture.delivery.Delivery;
import dev.overture.delivery.Holdout;
import dev.overture.delivery.MissingTemplateValue;
import dev.overture.delivery.internal.SendRule.Verdict.Kind;
import dev.overture.delivery.internal.SendRule.Verdict;
import dev.overture.profile.Profile;
import dev.overture.profile.ReservedAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** Each send rule alone: what it lets pass, and what it suppresses, defers or fails, with the reason the outbox keeps. */
class SendRulesTest {

  private final DispatchLookups.Reads reads = mock(DispatchLookups.Reads.class);

  @Test
  void theHoldoutKeepsJourneyMarketingFromAHeldOutCustomerOnly() {
    Holdout holdout = mock(Holdout.class);
    when(holdout.contains("p-1")).thenReturn(true);
    SendRule rule = new SendRules.GlobalHoldout(holdout);
    assertThat(rule.check(attempt("email", "marketing", "pi-1", Map.of())))
        .isEqualTo(Verdict.suppress(SendRules.HOLDOUT_REASON));
    assertThat(rule.check(attempt("email", "transactional", "pi-1", Map.of()))).isEqualTo(Verdict.PASS);
    assertThat(rule.check(attempt("email", "marketing", null, Map.of()))).as("outside a journey").isEqualTo(Verdict.PASS);
    assertThat(rule.check(testAttempt("email", "marketing"))).as("a test profile").isEqualTo(Verdict.PASS);
  }

  @Test
  void consentIsReadAtSendTimeAndKeptForTheProviderCall() {
    SendRule rule = new SendRules.ConsentNow();
    when(reads.consent("p-1", Channel.EMAIL, Purpose.MARKETING)).thenReturn(new ConsentDecision(false, null));
    assertThat(rule.check(attempt("email", "marketing", "pi-1", Map.of())))
        .isEqualTo(Verdict.suppress("no marketing consent for email at send time"));
    when(reads.consent("p-1", Channel.EMAIL, Purpose.MARKETING)).thenReturn(new ConsentDecision(true, 42L));
    SendAttempt allowed = attempt("email", "marketing", "pi-1", Map.of());
    assertThat(rule.check(allowed)).isEqualTo(Verdict.PASS);
    assertThat(allowed.consent.entryId()).isEqualTo(42L);
    assertThat(rule.check(attempt("audience", "marketing", "pi-1", Map.of("action", "remove"))))
        .as("leaving an audience needs no consent").isEqualTo(Verdict.PASS);
  }

  @Test
  void anOpenServiceTicketPausesMarketingButNotTransactionalMessages() {
    SendRule rule = new SendRules.OpenTicket();
    when(reads.marketingPaused("p-1")).thenReturn(true);
    assertThat(rule.check(attempt("email", "marketing", "pi-1", Map.of()))).extracting(Verdict::kind).isEqualTo(Kind.SUPPRESS);
    assertThat(rule.check(attempt("email", "transactional", "pi-1", Map.of()))).isEqualTo(Verdict.PASS);
  }

  @Test
  void aProfileWithoutAnAddressOnTheChannelGetsNothingThere() {
    SendRule rule = new SendRules.HasAddress();
    assertThat(rule.check(attempt("sms", "transactional", "pi-1", Map.of())))
        .isEqualTo(Verdict.suppress("profile has no phone number"));
    SendAttempt email = attempt("email", "transactional", "pi-1", Map.of());
    assertThat(rule.check(email)).isEqualTo(Verdict.PASS);
    assertThat(email.address).isEqualTo("ada@example.com");
  }

  @Test
  void aSuppressedAddressGetsNothing() {
    SendRule rule = new SendRules.NotSuppressed();
    SendAttempt a = attempt("email", "transactional", "pi-1", Map.of());
    a.address = "ada@example.com";
    when(reads.suppression(Channel.EMAIL, "ada@example.com"))
        .thenReturn(Optional.of(new Suppressions.Suppression("email", "h", "hard-bounce", "dispatcher", Instant.now())));
    assertThat(rule.check(a)).isEqualTo(Verdict.suppress("address is on the suppression list (hard-bounce)"));
    when(reads.suppression(Channel.EMAIL, "ada@example.com")).thenReturn(Optional.empty());
    assertThat(rule.check(a)).isEqualTo(Verdict.PASS);
  }

  @Test
  void aPushNeedsADeviceTokenThatIsNotSuppressed() {
    Suppressions suppressions = mock(Suppressions.class);
    when(reads.deviceTokens("p-1")).thenReturn(List.of("t-1"));
    when(suppressions.unsuppressed(Channel.PUSH, List.of("t-1"))).thenReturn(List.of());
    SendRule rule = new SendRules.ReachableDevice(suppressions);
    assertThat(rule.check(attempt("push", "transactional", "pi-1", Map.of())))
        .isEqualTo(Verdict.suppress("every device token of the profile is on the suppression list"));
    when(suppressions.unsuppressed(Channel.PUSH, List.of("t-1"))).thenReturn(List.of("t-1"));
    assertThat(rule.check(attempt("push", "transactional", "pi-1", Map.of()))).isEqualTo(Verdict.PASS);
  }

  @Test
  void onlyAnApprovedCreativeThatRendersGoesOut() {
    Creatives creatives = mock(Creatives.class);
    SendRule rule = new SendRules.ApprovedCreative(creatives);
    when(reads.approvedCreative("offer", "email")).thenReturn(Optional.empty());
    assertThat(rule.check(attempt("email", "transactional", "pi-1", Map.of())))
        .isEqualTo(Verdict.fail("no approved email creative 'offer'", null));
    Creative creative = mock(Creative.class);
    when(creative.version()).thenReturn(3);
    when(reads.approvedCreative("offer", "email")).thenReturn(Optional.of(creative));
    when(creatives.render(any(), any())).thenThrow(new MissingTemplateValue("event.orderId", "{{event.orderId}}"));
    Verdict failed = rule.check(attempt("email", "transactional", "pi-1", Map.of()));
    assertThat(failed.kind()).isEqualTo(Kind.FAIL);
    assertThat(failed.creativeVersion()).isEqualTo(3);
    assertThat(failed.reason()).startsWith("creative 'offer' v3 cannot be rendered: ");
    assertThat(rule.check(attempt("audience", "marketing", "pi-1", Map.of()))).as("an audience sync has no creative")
        .isEqualTo(Verdict.PASS);
  }

  @Test
  void quietHoursDeferMarketingToACustomerUntilTheyEnd() {
    QuietHours quietHours = mock(QuietHours.class);
    Instant morning = Instant.parse("2026-12-05T08:00:00Z");
    when(quietHours.deferredUntil(any(), any(), any())).thenReturn(Optional.of(morning));
    SendRule rule = new SendRules.OutsideQuietHours(quietHours);
    assertThat(rule.check(attempt("email", "marketing", "pi-1", Map.of())))
        .isEqualTo(Verdict.defer(morning, "quiet hours in the profile's time zone: waits until " + morning));
    assertThat(rule.check(attempt("email", "transactional", "pi-1", Map.of()))).isEqualTo(Verdict.PASS);
    assertThat(rule.check(testAttempt("email", "marketing"))).isEqualTo(Verdict.PASS);
  }

  @Test
  void theFrequencyCapSuppressesMarketingOverItAndIsNotAskedForOtherMessages() {
    FrequencyCaps caps = mock(FrequencyCaps.class);
    SendRule rule = new SendRules.UnderFrequencyCap(caps);
    SendAttempt marketing = attempt("email", "marketing", "pi-1", Map.of());
    when(caps.reserve("p-1", "email", marketing.delivery.id())).thenReturn(false);
    assertThat(rule.check(marketing).reason()).startsWith("frequency cap reached: ");
    SendAttempt transactional = attempt("email", "transactional", "pi-1", Map.of());
    assertThat(rule.check(transactional)).isEqualTo(Verdict.PASS);
    verify(caps, never()).reserve("p-1", "email", transactional.delivery.id());
  }

  @Test
  void overTheRateLimitAMessageTriesAgainLater() {
    RateLimits rateLimits = mock(RateLimits.class);
    SendRule rule = new SendRules.WithinRateLimit(rateLimits);
    when(rateLimits.acquire("email")).thenReturn(false);
    Verdict v = rule.check(attempt("email", "transactional", "pi-1", Map.of()));
    assertThat(v.kind()).isEqualTo(Kind.DEFER);
    assertThat(v.reason()).isEqualTo("rate limit of the email provider");
    assertThat(v.until()).isAfter(Instant.now());
    when(rateLimits.acquire("email")).thenReturn(true);
    assertThat(rule.check(attempt("email", "transactional", "pi-1", Map.of()))).isEqualTo(Verdict.PASS);
  }

  private SendAttempt attempt(String channel, String purpose, String instanceId, Map<String, Object> params) {
    return attempt(channel, purpose, instanceId, params, Map.of());
  }

  private SendAttempt testAttempt(String channel, String purpose) {
    return attempt(channel, purpose, "pi-1", Map.of(), Map.of(ReservedAttributes.TEST_PROFILE, true));
  }

  private SendAttempt attempt(String channel, String purpose, String instanceId, Map<String, Object> params,
      Map<String, Object> attributes) {
    Delivery d = new Delivery("o-" + System.nanoTime(), "p-1", channel, purpose, "offer", null, "journey", instanceId,
        "Task_Send", Delivery.SENDING, null, null, 1, Instant.now(), Instant.now(), null, null, params, null);
    Profile profile = new Profile("p-1", Map.of("email", "ada@example.com"), attributes, Instant.now(), Instant.now());
    return new SendAttempt(d, Channel.fromKey(channel).orElseThrow(), Purpose.fromKey(purpose).orElseThrow(), profile, reads);
  }
}
