package dev.overture.delivery.internal;

import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import dev.overture.consent.Suppressions;
import dev.overture.delivery.Creative;
import dev.overture.delivery.Delivery;
import dev.overture.platform.Backoff;
import dev.overture.profile.Profile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends one claimed message on its channel: the {@link SendRules} decide at send time whether it goes, then the
 * provider call with the outbox id as idempotency key; transient failures come back later with exponential backoff
 * and jitter, permanent ones fail. Every outcome becomes a customer event. A test profile's message goes to the file
 * outbox, and the holdout, quiet hours and frequency caps, which shape what customers receive, neither hold it back
 * nor count it (docs/events.md, "Test mode").
 */
@Component
public class MessageDispatcher {

  static final String PREFERRED_CHANNEL_ATTRIBUTE = "preferredChannel";
  private static final Logger log = LoggerFactory.getLogger(MessageDispatcher.class);

  private final OutboxClaims outbox;
  private final Suppressions suppressions;
  private final FrequencyCaps caps;
  private final ChannelSenders senders;
  private final DispatchLookups lookups;
  private final OutcomeWriter writer;
  private final DeliveryProperties props;
  private final GuardedSend guarded;
  private final SendRules rules;

  MessageDispatcher(OutboxClaims outbox, Suppressions suppressions, FrequencyCaps caps, ChannelSenders senders,
      DispatchLookups lookups, OutcomeWriter writer, DeliveryProperties props, GuardedSend guarded, SendRules rules) {
    this.outbox = outbox;
    this.suppressions = suppressions;
    this.caps = caps;
    this.senders = senders;
    this.lookups = lookups;
    this.writer = writer;
    this.props = props;
    this.guarded = guarded;
    this.rules = rules;
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
    Optional<Profile> profile = reads.profile(d.profileId());
    if (profile.isEmpty()) {
      suppress(d, "profile not found");
      return;
    }
    SendAttempt attempt = new SendAttempt(d, channel, Purpose.fromKey(d.purpose()).orElse(Purpose.MARKETING), profile.get(), reads);
    SendRule.Verdict verdict = rules.check(attempt);
    switch (verdict.kind()) {
      case PASS -> send(attempt);
      case SUPPRESS -> suppress(d, attempt.test, verdict.reason());
      case DEFER -> outbox.defer(d.id(), verdict.until(), verdict.reason());
      case FAIL -> fail(d, attempt.test, verdict.reason(), null, verdict.creativeVersion());
    }
  }

  private void send(SendAttempt a) {
    Delivery d = a.delivery;
    Channel channel = a.channel;
    Profile profile = a.profile;
    String address = a.address;
    Creative.Rendered r = a.rendered;
    boolean test = a.test;
    boolean marketing = a.marketing();
    Integer version = r == null ? null : r.version();
    // a test profile's messages go only to the file outbox
    boolean toFile = test;
    List<String> deviceTokens = a.deviceTokens;
    List<String> unregistered = new ArrayList<>();
    GuardedSend.ProviderCall call = addresses -> {
      switch (channel) {
        case EMAIL -> senders.email(d, address, r, marketing, toFile);
        case SMS -> senders.sms(d, address, r, marketing, toFile);
        case PUSH -> unregistered.addAll(senders.push(d, addresses, r, toFile).unregistered());
        case WEBHOOK -> senders.webhook(d, r, toFile);
        case AUDIENCE -> senders.audience(d, profile.email(), Addresses.phone(profile), toFile);
      }
    };
    try {
      Long restsOn = a.consent.entryId();
      if (a.audienceRemoval) {
        call.send(List.of()); // leaving an audience needs no consent
      } else {
        List<String> addresses = Addresses.listedByAddress(channel) ? List.of(address) : deviceTokens;
        GuardedSend.Result result = guarded.send(profile.id(), channel, a.purpose, addresses, call);
        if (!result.sent()) {
          caps.release(d.id());
          suppress(d, test, result.refusal());
          return;
        }
        restsOn = result.consentEntryId();
        // after the guard: a suppression takes the token's guard row, which the send held
        unregistered.forEach(t -> suppressions.suppress(channel, t, Suppressions.Reason.HARD_BOUNCE, "dispatcher"));
      }
      String recipient = Addresses.listedByAddress(channel) ? address : null;
      writer.submit(new FinalState(d, Delivery.SENT, null, recipient, version, restsOn, test));
    } catch (DeliveryException e) {
      if (e.isTransient() && d.attempts() < props.maxAttempts()) {
        java.time.Duration wait = new Backoff(props.retryBase(), props.retryMax()).next(d.attempts());
        if (e.retryAfter() != null && e.retryAfter().compareTo(wait) > 0) {
          // a throttling provider's Retry-After: sooner would only be refused again
          wait = e.retryAfter();
        }
        Instant next = Instant.now().plus(wait);
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
        writer.submit(new FinalState(d, Delivery.BOUNCED, e.getMessage(), channel == Channel.PUSH ? null : address, version, null,
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
        String address = Addresses.of(channel, profile.get(), reads);
        if (senders.reachable(channel) && reads.consent(profile.get().id(), channel, purpose).allowed() && address != null
            && !(Addresses.listedByAddress(channel) && reads.suppression(channel, address).isPresent())
            && (channel != Channel.PUSH || !Addresses.reachableTokens(suppressions, profile.get(), reads).isEmpty())
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

  private void suppress(Delivery d, String reason) {
    suppress(d, false, reason);
  }

  private void suppress(Delivery d, boolean test, String reason) {
    writer.submit(new FinalState(d, Delivery.SUPPRESSED, reason, null, null, null, test));
  }

  private void fail(Delivery d, String reason, String recipient, Integer version) {
    fail(d, false, reason, recipient, version);
  }

  private void fail(Delivery d, boolean test, String reason, String recipient, Integer version) {
    writer.submit(new FinalState(d, Delivery.FAILED, reason, recipient, version, null, test));
  }
}
