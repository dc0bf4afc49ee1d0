package dev.overture.delivery;

import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import dev.overture.delivery.internal.GovernanceProperties;
import dev.overture.delivery.internal.OutboxRecords;
import dev.overture.delivery.internal.QuietHours;
import dev.overture.delivery.internal.StepSuppressions;
import dev.overture.delivery.internal.TestSends;
import dev.overture.profile.Profiles;
import dev.overture.profile.ProfilesMerged;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Messages to customers. {@link #enqueue} writes an outbox row in the caller's transaction (the
 * engine step's), so the message exists exactly when the step committed; the dispatcher flows send it.
 */
@Service
public class Deliveries {

  /** The channel value that means "the profile's preferred channel, then the fallbacks in order". */
  public static final String PREFERRED = "preferred";

  private final OutboxRecords outbox;
  private final GovernanceProperties governance;
  private final Profiles profiles;
  private final TestSends testSends;
  private final StepSuppressions stepSuppressions;
  private final QuietHours quietHours;

  Deliveries(OutboxRecords outbox, GovernanceProperties governance, Profiles profiles, TestSends testSends,
      StepSuppressions stepSuppressions, QuietHours quietHours) {
    this.outbox = outbox;
    this.quietHours = quietHours;
    this.stepSuppressions = stepSuppressions;
    this.governance = governance;
    this.profiles = profiles;
    this.testSends = testSends;
  }

  /**
   * What a journey's message speaks about: the properties of the event that started the journey or that
   * it last waited for (empty when there is none), and the journey variables the Send step names.
   */
  public record Moment(Map<String, Object> event, Map<String, Object> journeyVariables) {
    public static final Moment NONE = new Moment(Map.of(), Map.of());
  }

  /** Queues a message rendered from the profile as it is at send time; returns the outbox id (the provider's idempotency key). */
  public String enqueue(String profileId, Channel channel, Purpose purpose, String creativeKey, Origin origin) {
    return outbox.insert(profileId, channel.key(), purpose, creativeKey, origin, null);
  }

  /**
   * Queues a message whose context (profile, event, journey variables) is taken now and stored with the
   * row, so a later change of the profile or a newer event does not change it.
   */
  public String enqueue(String profileId, Channel channel, Purpose purpose, String creativeKey, Origin origin, Moment moment) {
    return outbox.insert(profileId, channel.key(), purpose, creativeKey, origin, null, context(profileId, moment));
  }

  /** {@link #enqueuePreferred(String, List, Purpose, String, Origin)} with the context taken now. */
  public String enqueuePreferred(String profileId, List<Channel> fallbacks, Purpose purpose, String creativeKey, Origin origin,
      Moment moment) {
    return outbox.insert(profileId, PREFERRED, purpose, creativeKey, origin,
        Map.of("channels", fallbacks.stream().map(Channel::key).toList()), context(profileId, moment));
  }

  /** The context of a message to this profile about this moment; null for an unknown profile (the dispatcher suppresses it). */
  private MessageContext context(String profileId, Moment moment) {
    return profiles.find(profileId).map(p -> MessageContext.of(p, moment.event(), moment.journeyVariables())).orElse(null);
  }

  /**
   * Queues a message for the profile's preferred channel (attribute {@code preferredChannel}); the
   * dispatcher takes the first of preferred + {@code fallbacks} that has consent, an address and an
   * approved creative.
   */
  public String enqueuePreferred(String profileId, List<Channel> fallbacks, Purpose purpose, String creativeKey, Origin origin) {
    return outbox.insert(profileId, PREFERRED, purpose, creativeKey, origin,
        Map.of("channels", fallbacks.stream().map(Channel::key).toList()));
  }

  /**
   * The message a dry-run instance's Send step would queue, written as suppressed with reason {@code dry-run}: it
   * is counted per step in the journey's message stats, takes no frequency-cap slot and never reaches a provider.
   * {@code channel} is the step's channel as written (a channel key, {@code preferred} or {@code audience}).
   */
  public String suppressDryRun(String profileId, String channel, Purpose purpose, String creativeKey, Origin origin) {
    return stepSuppressions.suppress(profileId, channel, purpose, creativeKey, origin,
        JourneyMessageStats.DRY_RUN + ": the version is in dry run and sends nothing");
  }

  /** Adds the profile to ({@code add}) or removes it from ({@code remove}) a paid-media audience. */
  public String enqueueAudience(String profileId, String audienceKey, boolean add, Purpose purpose, Origin origin) {
    return outbox.insert(profileId, Channel.AUDIENCE.key(), purpose, audienceKey, origin, Map.of("action", add ? "add" : "remove"));
  }

  /** Moves a merged-away profile's deliveries (sent, pending and failed) to the survivor. */
  public int reassign(String fromProfileId, String toProfileId) {
    return outbox.reassign(fromProfileId, toProfileId);
  }

  @EventListener
  void onMerge(ProfilesMerged merged) {
    reassign(merged.mergedId(), merged.survivorId());
  }

  public Optional<Delivery> find(String id) {
    return outbox.find(id);
  }

  public List<Delivery> ofProfile(String profileId) {
    return outbox.ofProfile(profileId);
  }

  /**
   * Erasure: cancels the profile's pending messages and strips addresses, reasons and rendering
   * contexts from its records; its test deliveries go.
   */
  public int erase(String profileId) {
    testSends.erase(profileId);
    return outbox.erase(profileId);
  }

  /**
   * When a marketing message on the channel, due at {@code at} for a profile with these attributes, may go if quiet
   * hours hold it back; empty when they do not: what a wait that picks its own moment steers clear of.
   */
  public Optional<java.time.Instant> quietUntil(String channel, Map<String, Object> attributes, java.time.Instant at) {
    return quietHours.deferredUntil(channel, attributes, at);
  }

  /** The send-time governance in words, as compliance reviewers see it: read from the settings the dispatcher enforces. */
  public record GovernanceSummary(String quietHours, String frequencyCaps) {}

  public GovernanceSummary governance() {
    GovernanceProperties.QuietHours q = governance.quietHours();
    String quiet = !q.enabled() ? "off"
        : "marketing on " + String.join(", ", q.channels()) + " waits between " + q.start() + " and " + q.end()
            + " in the profile's time zone";
    String caps = governance.frequencyCap().isEmpty() ? "none"
        : governance.frequencyCap().entrySet().stream().sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + ": at most " + e.getValue().max() + " marketing messages per " + words(e.getValue().window()))
            .collect(java.util.stream.Collectors.joining("; "));
    return new GovernanceSummary(quiet, caps);
  }

  private static String words(java.time.Duration window) {
    if (window.toDays() > 0 && window.equals(java.time.Duration.ofDays(window.toDays()))) {
      return window.toDays() == 1 ? "day" : window.toDays() + " days";
    }
    return window.toHours() == 1 ? "hour" : window.toHours() + " hours";
  }
}
