package dev.overture.delivery.internal;

import dev.overture.consent.Channel;
import dev.overture.consent.ConsentDecision;
import dev.overture.consent.Suppressions;
import dev.overture.delivery.Creative;
import dev.overture.delivery.Creatives;
import dev.overture.delivery.Holdout;
import dev.overture.delivery.MessageContext;
import dev.overture.delivery.MissingTemplateValue;
import dev.overture.delivery.internal.SendRule.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Governance at send time, in the order it runs: the global holdout (marketing from journeys), consent (channel ×
 * purpose), an open service ticket (marketing), an address, the suppression list, a reachable device (push), an
 * approved creative that renders, quiet hours and the frequency cap (marketing to customers), the channel's rate
 * limit. The cheap reads come first; the frequency cap reserves, so it runs last but one, and the rate limit takes a
 * token, so it runs last.
 */
@Component
class SendRules {

  /** The reason of a marketing message held back from a profile in the global holdout; analytics group by its first word. */
  static final String HOLDOUT_REASON = "holdout: the profile is in the global holdout group";

  private final List<SendRule> rules;

  SendRules(Holdout holdout, Suppressions suppressions, Creatives creatives, QuietHours quietHours, FrequencyCaps caps,
      RateLimits rateLimits) {
    this.rules = List.of(new GlobalHoldout(holdout), new ConsentNow(), new OpenTicket(), new HasAddress(),
        new NotSuppressed(), new ReachableDevice(suppressions), new ApprovedCreative(creatives),
        new OutsideQuietHours(quietHours), new UnderFrequencyCap(caps), new WithinRateLimit(rateLimits));
  }

  /** The first verdict that is not a pass, or a pass when every rule lets the message go. */
  Verdict check(SendAttempt attempt) {
    for (SendRule rule : rules) {
      Verdict v = rule.check(attempt);
      if (v.kind() != Verdict.Kind.PASS) {
        return v;
      }
    }
    return Verdict.PASS;
  }

  /** A profile in the global holdout gets no marketing from journeys (a campaign's proof send has no instance). */
  record GlobalHoldout(Holdout holdout) implements SendRule {
    @Override
    public Verdict check(SendAttempt a) {
      return a.marketingToCustomer() && a.delivery.processInstanceId() != null && holdout.contains(a.profile.id())
          ? Verdict.suppress(HOLDOUT_REASON) : Verdict.PASS;
    }
  }

  /** Consent for the channel and purpose as it is now, not as it was when the journey step ran. */
  record ConsentNow() implements SendRule {
    @Override
    public Verdict check(SendAttempt a) {
      a.consent = a.audienceRemoval ? new ConsentDecision(true, null) : a.reads.consent(a.profile.id(), a.channel, a.purpose);
      return a.consent.allowed() ? Verdict.PASS
          : Verdict.suppress("no " + a.purpose.key() + " consent for " + a.channel.key() + " at send time");
    }
  }

  /** No marketing while the customer has an open service ticket. */
  record OpenTicket() implements SendRule {
    @Override
    public Verdict check(SendAttempt a) {
      return a.marketing() && !a.audienceRemoval && a.reads.marketingPaused(a.profile.id())
          ? Verdict.suppress("marketing paused: the customer has an open service ticket") : Verdict.PASS;
    }
  }

  record HasAddress() implements SendRule {
    @Override
    public Verdict check(SendAttempt a) {
      a.address = Addresses.of(a.channel, a.profile, a.reads);
      return a.address == null ? Verdict.suppress("profile has no " + Addresses.name(a.channel)) : Verdict.PASS;
    }
  }

  /** Email and SMS addresses on the suppression list (bounced, complained, suppressed by hand) get nothing. */
  record NotSuppressed() implements SendRule {
    @Override
    public Verdict check(SendAttempt a) {
      Optional<Suppressions.Suppression> s = Addresses.listedByAddress(a.channel)
          ? a.reads.suppression(a.channel, a.address) : Optional.empty();
      return s.isPresent() ? Verdict.suppress("address is on the suppression list (" + s.get().reason() + ")") : Verdict.PASS;
    }
  }

  /** A push needs one device token that is not on the suppression list. */
  record ReachableDevice(Suppressions suppressions) implements SendRule {
    @Override
    public Verdict check(SendAttempt a) {
      if (a.channel != Channel.PUSH) {
        return Verdict.PASS;
      }
      a.deviceTokens = Addresses.reachableTokens(suppressions, a.profile, a.reads);
      return a.deviceTokens.isEmpty() ? Verdict.suppress("every device token of the profile is on the suppression list")
          : Verdict.PASS;
    }
  }

  /** Only an approved creative goes out, and only if it renders for this profile (an audience sync has none). */
  record ApprovedCreative(Creatives creatives) implements SendRule {
    @Override
    public Verdict check(SendAttempt a) {
      if (a.channel == Channel.AUDIENCE) {
        return Verdict.PASS;
      }
      Optional<Creative> approved = a.reads.approvedCreative(a.delivery.creativeKey(), a.channel.key());
      if (approved.isEmpty()) {
        return Verdict.fail("no approved " + a.channel.key() + " creative '" + a.delivery.creativeKey() + "'", null);
      }
      Creative creative = approved.get();
      try {
        // the context taken when the journey step ran; a row queued without one speaks of the profile as it is now
        a.rendered = creatives.render(creative, a.delivery.context() != null ? a.delivery.context()
            : MessageContext.of(a.profile, Map.of(), Map.of()));
        return Verdict.PASS;
      } catch (MissingTemplateValue e) {
        return Verdict.fail("creative '" + a.delivery.creativeKey() + "' v" + creative.version() + " cannot be rendered: "
            + e.getMessage(), creative.version());
      }
    }
  }

  /** Marketing waits for the end of quiet hours in the profile's time zone. */
  record OutsideQuietHours(QuietHours quietHours) implements SendRule {
    @Override
    public Verdict check(SendAttempt a) {
      if (!a.marketingToCustomer()) {
        return Verdict.PASS;
      }
      Optional<Instant> opens = quietHours.deferredUntil(a.channel.key(), a.profile.attributes(), Instant.now());
      return opens.map(at -> Verdict.defer(at, "quiet hours in the profile's time zone: waits until " + at)).orElse(Verdict.PASS);
    }
  }

  /** Reserves a place under the channel's frequency cap; a failed send releases it. */
  record UnderFrequencyCap(FrequencyCaps caps) implements SendRule {
    @Override
    public Verdict check(SendAttempt a) {
      if (!a.marketingToCustomer() || caps.reserve(a.profile.id(), a.channel.key(), a.delivery.id())) {
        return Verdict.PASS;
      }
      return Verdict.suppress("frequency cap reached: " + caps.capOf(a.channel.key()).map(FrequencyCaps::describe).orElse("")
          + " " + a.channel.key());
    }
  }

  /** The provider's rate limit: over it, the message tries again a second later. */
  record WithinRateLimit(RateLimits rateLimits) implements SendRule {
    @Override
    public Verdict check(SendAttempt a) {
      return rateLimits.acquire(a.channel.key()) ? Verdict.PASS
          : Verdict.defer(Instant.now().plusSeconds(1), "rate limit of the " + a.channel.key() + " provider");
    }
  }
}
