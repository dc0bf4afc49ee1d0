package dev.overture.delivery.internal;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.consent.Suppressions;
import dev.overture.delivery.Creative;
import dev.overture.delivery.Creatives;
import dev.overture.delivery.Delivery;
import dev.overture.delivery.Holdout;
import dev.overture.delivery.MessageContext;
import dev.overture.delivery.MissingTemplateValue;
import dev.overture.platform.Backoff;
import dev.overture.profile.IdentityType;
import dev.overture.profile.Profile;
import dev.overture.profile.Profiles;
import dev.overture.profile.TestProfiles;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends one claimed message on its channel. Governance at send time, in this order: the global holdout
 * (marketing from journeys), consent
 * (channel × purpose), open service ticket (marketing), an address, the suppression list, an approved
 * creative, quiet hours and the frequency cap (marketing only), the channel's rate limit. Then the
 * provider call with the outbox id as idempotency key; transient failures come back later with
 * exponential backoff and jitter, permanent ones fail. Every outcome becomes a customer event. A test profile's
 * message goes to the file outbox, and the holdout, quiet hours and frequency caps, which shape what customers
 * receive, neither hold it back nor count it (docs/events.md, "Test mode").
 */
@Component
public class MessageDispatcher {

  static final String PREFERRED_CHANNEL_ATTRIBUTE = "preferredChannel";
  /** The reason of a marketing message held back from a profile in the global holdout; analytics group by its first word. */
  public static final String HOLDOUT_REASON = "holdout: the profile is in the global holdout group";
  private static final Logger log = LoggerFactory.getLogger(MessageDispatcher.class);

  private final Outbox outbox;
  private final Creatives creatives;
  private final Suppressions suppressions;
  private final FrequencyCaps caps;
  private final QuietHours quietHours;
  private final RateLimits rateLimits;
  private final ChannelSenders senders;
  private final DispatchLookups lookups;
  private final OutcomeWriter writer;
  private final DeliveryProperties props;
  private final Holdout holdout;
  private final GuardedSend guarded;

  MessageDispatcher(Outbox outbox, Creatives creatives, Suppressions suppressions, FrequencyCaps caps, QuietHours quietHours,
      RateLimits rateLimits, ChannelSenders senders, DispatchLookups lookups, OutcomeWriter writer, DeliveryProperties props,
      Holdout holdout, GuardedSend guarded) {
    this.holdout = holdout;
    this.guarded = guarded;
    this.outbox = outbox;
    this.creatives = creatives;
    this.suppressions = suppressions;
    this.caps = caps;
    this.quietHours = quietHours;
    this.rateLimits = rateLimits;
    this.senders = senders;
    this.lookups = lookups;
    this.writer = writer;
    this.props = props;
  }

  /** Governance reads for a claimed batch, loaded in a few queries for all its messages. */
  DispatchLookups.Reads readsFor(List<Delivery> batch) {
    return lookups.preload(batch);
  }

  /** Sends one claimed message, reading governance from the facades (a caller without a batch). */
  public void dispatch(Delivery d) {
    dispatch(d, lookups.direct());
  }

  /** Sends one claimed message, reading governance through {@code reads} (a claimed batch's preloaded reads). */
  void dispatch(Delivery d, DispatchLookups.Reads reads) {
    Channel channel = Channel.fromKey(d.channel()).orElse(null);
    if (channel == null) {
      fail(d, "no delivery flow for channel '" + d.channel() + "'", null, null);
      return;
    }
    Purpose purpose = Purpose.fromKey(d.purpose()).orElse(Purpose.MARKETING);
    boolean marketing = purpose == Purpose.MARKETING;
    Optional<Profile> found = reads.profile(d.profileId());
    if (found.isEmpty()) {
      suppress(d, "profile not found");
      return;
    }
    Profile profile = found.get();
    boolean test = TestProfiles.isTest(profile);
    boolean audienceRemoval = channel == Channel.AUDIENCE && "remove".equals(d.param("action"));
    if (marketing && !audienceRemoval && !test && d.processInstanceId() != null && holdout.contains(profile.id())) {
      suppress(d, test, HOLDOUT_REASON);
      return;
    }
    Consents.Decision consent = audienceRemoval ? new Consents.Decision(true, null) : reads.consent(profile.id(), channel, purpose);
    if (!consent.allowed()) {
      suppress(d, test, "no " + purpose.key() + " consent for " + channel.key() + " at send time");
      return;
    }
    if (marketing && !audienceRemoval && reads.marketingPaused(profile.id())) {
      suppress(d, test, "marketing paused: the customer has an open service ticket");
      return;
    }
    String address = address(channel, profile, reads);
    if (address == null) {
      suppress(d, test, "profile has no " + addressName(channel));
      return;
    }
    Optional<Suppressions.Suppression> suppressed = channel == Channel.EMAIL || channel == Channel.SMS
        ? reads.suppression(channel, address) : Optional.empty();
    if (suppressed.isPresent()) {
      suppress(d, test, "address is on the suppression list (" + suppressed.get().reason() + ")");
      return;
    }
    if (channel == Channel.PUSH && reachableTokens(profile, reads).isEmpty()) {
      suppress(d, test, "every device token of the profile is on the suppression list");
      return;
    }
    Creative creative = null;
    Creative.Rendered rendered = null;
    if (channel != Channel.AUDIENCE) {
      Optional<Creative> approved = reads.approvedCreative(d.creativeKey(), channel.key());
      if (approved.isEmpty()) {
        fail(d, test, "no approved " + channel.key() + " creative '" + d.creativeKey() + "'", null, null);
        return;
      }
      creative = approved.get();
      try {
        // the context taken when the journey step ran; a row queued without one speaks of the profile as it is now
        rendered = creatives.render(creative, d.context() != null ? d.context() : MessageContext.of(profile, Map.of(), Map.of()));
      } catch (MissingTemplateValue e) {
        fail(d, test, "creative '" + d.creativeKey() + "' v" + creative.version() + " cannot be rendered: " + e.getMessage(), null,
            creative.version());
        return;
      }
    }
    if (marketing && !audienceRemoval && !test) {
      Optional<Instant> opens = quietHours.deferredUntil(channel.key(), profile.attributes(), Instant.now());
      if (opens.isPresent()) {
        outbox.defer(d.id(), opens.get(), "quiet hours in the profile's time zone: waits until " + opens.get());
        return;
      }
      if (!caps.reserve(profile.id(), channel.key(), d.id())) {
        suppress(d, test, "frequency cap reached: " + caps.capOf(channel.key()).map(FrequencyCaps::describe).orElse("") + " " + channel.key());
        return;
      }
    }
    if (!rateLimits.acquire(channel.key())) {
      outbox.defer(d.id(), Instant.now().plusSeconds(1), "rate limit of the " + channel.key() + " provider");
      return;
    }
    send(d, channel, purpose, test, profile, address, rendered, consent.entryId(), reads);
  }

  private void send(Delivery d, Channel channel, Purpose purpose, boolean test, Profile profile, String address,
      Creative.Rendered r, Long consentEntryId, DispatchLookups.Reads reads) {
    boolean marketing = purpose == Purpose.MARKETING;
    Integer version = r == null ? null : r.version();
    // a test profile's messages go only to the file outbox
    boolean toFile = test;
    List<String> deviceTokens = channel == Channel.PUSH ? reachableTokens(profile, reads) : List.of();
    GuardedSend.ProviderCall call = addresses -> {
      switch (channel) {
        case EMAIL -> senders.email(d, address, r, marketing, toFile);
        case SMS -> senders.sms(d, address, r, marketing, toFile);
        case PUSH -> senders.push(d, addresses, r, toFile);
        case WEBHOOK -> senders.webhook(d, r, toFile);
        case AUDIENCE -> senders.audience(d, profile.email(), phone(profile), toFile);
      }
    };
    try {
      Long restsOn = consentEntryId;
      if (channel == Channel.AUDIENCE && "remove".equals(d.param("action"))) {
        call.send(List.of()); // leaving an audience needs no consent
      } else {
        List<String> addresses = channel == Channel.EMAIL || channel == Channel.SMS ? List.of(address) : deviceTokens;
        GuardedSend.Result result = guarded.send(profile.id(), channel, purpose, addresses, call);
        if (!result.sent()) {
          caps.release(d.id());
          suppress(d, test, result.refusal());
          return;
        }
        restsOn = result.consentEntryId();
      }
      String recipient = channel == Channel.EMAIL || channel == Channel.SMS ? address : null;
      writer.submit(new Outbox.Final(d, Delivery.SENT, null, recipient, version, restsOn, test));
    } catch (DeliveryException e) {
      if (e.isTransient() && d.attempts() < props.maxAttempts()) {
        Instant next = Instant.now().plus(new Backoff(props.retryBase(), props.retryMax()).next(d.attempts()));
        log.warn("{} {} attempt {} failed, retrying at {}: {}", channel.key(), d.id(), d.attempts(), next, e.getMessage());
        outbox.retryAt(d.id(), next, "attempt " + d.attempts() + " failed: " + e.getMessage());
        return;
      }
      log.warn("{} {} failed after {} attempt(s): {}", channel.key(), d.id(), d.attempts(), e.getMessage());
      caps.release(d.id());
      if (e.isHardBounce()) {
        for (String dead : channel == Channel.PUSH ? deviceTokens : List.of(address)) {
          suppressions.suppress(channel, dead, Suppressions.Reason.HARD_BOUNCE, "dispatcher");
        }
        writer.submit(new Outbox.Final(d, Delivery.BOUNCED, e.getMessage(), channel == Channel.PUSH ? null : address, version, null,
            test));
        return;
      }
      fail(d, test, e.getMessage(), address, version);
    }
  }

  /**
   * Resolves a {@code preferred} message to the first channel of the profile's preferred channel
   * followed by the fallbacks that has consent, an address, no suppression and an approved creative.
   * Returns null (and records the suppression) if none does.
   */
  Delivery resolvePreferred(Delivery d, DispatchLookups.Reads reads) {
    Purpose purpose = Purpose.fromKey(d.purpose()).orElse(Purpose.TRANSACTIONAL);
    Optional<Profile> profile = reads.profile(d.profileId());
    List<String> tried = new ArrayList<>();
    if (profile.isPresent()) {
      for (Channel channel : candidates(d, profile.get())) {
        tried.add(channel.key());
        String address = address(channel, profile.get(), reads);
        if (senders.reachable(channel) && reads.consent(profile.get().id(), channel, purpose).allowed() && address != null
            && !((channel == Channel.EMAIL || channel == Channel.SMS) && reads.suppression(channel, address).isPresent())
            && (channel != Channel.PUSH || !reachableTokens(profile.get(), reads).isEmpty())
            && reads.approvedCreative(d.creativeKey(), channel.key()).isPresent()) {
          outbox.rechannel(d.id(), channel.key());
          return d.withChannel(channel.key());
        }
      }
    }
    suppress(d, "no reachable channel among " + tried + " (provider, consent, address, suppression or approved creative)");
    return null;
  }

  private static List<Channel> candidates(Delivery d, Profile profile) {
    Set<Channel> order = new LinkedHashSet<>();
    Object preferred = profile.attributes().get(PREFERRED_CHANNEL_ATTRIBUTE);
    if (preferred != null) {
      Channel.fromKey(preferred.toString()).filter(c -> c != Channel.AUDIENCE && c != Channel.WEBHOOK).ifPresent(order::add);
    }
    Object fallbacks = d.params() == null ? null : d.params().get("channels");
    if (fallbacks instanceof List<?> list) {
      list.forEach(c -> Channel.fromKey(String.valueOf(c)).ifPresent(order::add));
    }
    return List.copyOf(order);
  }

  private String address(Channel channel, Profile profile, DispatchLookups.Reads reads) {
    return switch (channel) {
      case EMAIL -> profile.email();
      case SMS -> phone(profile);
      case PUSH -> reads.deviceTokens(profile.id()).isEmpty() ? null : "device";
      case WEBHOOK -> "webhook";
      case AUDIENCE -> profile.email() != null || phone(profile) != null ? "audience" : null;
    };
  }

  /** The profile's device tokens that are not on the suppression list: the ones a push goes to. */
  private List<String> reachableTokens(Profile profile, DispatchLookups.Reads reads) {
    return suppressions.unsuppressed(Channel.PUSH, reads.deviceTokens(profile.id()));
  }

  private static String phone(Profile profile) {
    return profile.identities().get(IdentityType.PHONE.key());
  }

  private static String addressName(Channel channel) {
    return switch (channel) {
      case EMAIL -> "email address";
      case SMS -> "phone number";
      case PUSH -> "device token";
      case WEBHOOK -> "webhook target";
      case AUDIENCE -> "email address or phone number";
    };
  }

  private void suppress(Delivery d, String reason) {
    suppress(d, false, reason);
  }

  private void suppress(Delivery d, boolean test, String reason) {
    writer.submit(new Outbox.Final(d, Delivery.SUPPRESSED, reason, null, null, null, test));
  }

  private void fail(Delivery d, String reason, String recipient, Integer version) {
    fail(d, false, reason, recipient, version);
  }

  private void fail(Delivery d, boolean test, String reason, String recipient, Integer version) {
    writer.submit(new Outbox.Final(d, Delivery.FAILED, reason, recipient, version, null, test));
  }
}
