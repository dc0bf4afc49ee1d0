package dev.overture.delivery.internal;

import dev.overture.consent.Channel;
import dev.overture.consent.ConsentDecision;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.consent.Suppressions;
import dev.overture.delivery.Creative;
import dev.overture.delivery.Creatives;
import dev.overture.delivery.Delivery;
import dev.overture.event.Events;
import dev.overture.profile.IdentityType;
import dev.overture.profile.Profile;
import dev.overture.profile.Profiles;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * What the dispatcher reads before a send: the profile, the consent decision, the ticket pause, the
 * suppression list, the approved creative, the device tokens. {@link #direct()} asks the facades for
 * each message; {@link #preload} reads a whole claimed batch in a fixed number of queries (about ten
 * instead of six or more per message) and answers from that for {@code overture.delivery.lookup-max-age}
 * (default 1 s), after which it asks again, so a decision is never older than that at send time.
 */
@Component
class DispatchLookups {

  private final Profiles profiles;
  private final Consents consents;
  private final Suppressions suppressions;
  private final Creatives creatives;
  private final Events events;
  private final Duration maxAge;

  DispatchLookups(Profiles profiles, Consents consents, Suppressions suppressions, Creatives creatives, Events events,
      DeliveryProperties props) {
    this.profiles = profiles;
    this.consents = consents;
    this.suppressions = suppressions;
    this.creatives = creatives;
    this.events = events;
    this.maxAge = props.lookupMaxAge();
  }

  /** The answers for one message or one batch. */
  interface Reads {
    Optional<Profile> profile(String profileId);

    ConsentDecision consent(String profileId, Channel channel, Purpose purpose);

    boolean marketingPaused(String profileId);

    Optional<Suppressions.Suppression> suppression(Channel channel, String address);

    Optional<Creative> approvedCreative(String key, String channel);

    List<String> deviceTokens(String profileId);
  }

  /** Reads that ask the facades every time. */
  Reads direct() {
    return direct;
  }

  private final Reads direct = new Reads() {
    @Override
    public Optional<Profile> profile(String profileId) {
      return profiles.find(profileId);
    }

    @Override
    public ConsentDecision consent(String profileId, Channel channel, Purpose purpose) {
      return consents.decide(profileId, channel, purpose);
    }

    @Override
    public boolean marketingPaused(String profileId) {
      return events.marketingPaused(profileId);
    }

    @Override
    public Optional<Suppressions.Suppression> suppression(Channel channel, String address) {
      return suppressions.find(channel, address);
    }

    @Override
    public Optional<Creative> approvedCreative(String key, String channel) {
      return creatives.approved(key, channel);
    }

    @Override
    public List<String> deviceTokens(String profileId) {
      return profiles.identities(profileId, IdentityType.DEVICE_TOKEN);
    }
  };

  /** Reads for a claimed batch, loaded now; anything the batch did not foresee (a rechannelled preferred message) is asked directly. */
  Reads preload(List<Delivery> batch) {
    long loadedAt = System.nanoTime();
    Set<String> ids = new HashSet<>();
    batch.forEach(d -> ids.add(d.profileId()));
    Map<String, Profile> byRequested = profiles.findAll(ids);
    Set<String> canonical = new HashSet<>();
    byRequested.values().forEach(p -> canonical.add(p.id()));
    Consents.Decisions decisions = consents.decideAll(canonical);
    boolean anyMarketing = batch.stream().anyMatch(d -> !Purpose.TRANSACTIONAL.key().equals(d.purpose()));
    Set<String> paused = anyMarketing ? events.marketingPausedAmong(canonical) : Set.of();
    Map<Channel, Set<String>> asked = new EnumMap<>(Channel.class);
    Map<Channel, Map<String, Suppressions.Suppression>> suppressed = new EnumMap<>(Channel.class);
    for (Channel channel : List.of(Channel.EMAIL, Channel.SMS)) {
      Set<String> addresses = new HashSet<>();
      for (Profile p : byRequested.values()) {
        String address = channel == Channel.EMAIL ? p.email() : p.identities().get(IdentityType.PHONE.key());
        if (address != null) {
          addresses.add(address);
        }
      }
      asked.put(channel, addresses);
      suppressed.put(channel, suppressions.findAll(channel, addresses));
    }
    boolean anyPush = batch.stream().anyMatch(d -> !Channel.EMAIL.key().equals(d.channel()) && !Channel.SMS.key().equals(d.channel()));
    Map<String, List<String>> tokens = anyPush ? profiles.identities(canonical, IdentityType.DEVICE_TOKEN) : null;
    Map<String, Optional<Creative>> approved = new ConcurrentHashMap<>();
    return new Reads() {
      private boolean fresh() {
        return System.nanoTime() - loadedAt < maxAge.toNanos();
      }

      @Override
      public Optional<Profile> profile(String profileId) {
        return fresh() && ids.contains(profileId) ? Optional.ofNullable(byRequested.get(profileId)) : direct.profile(profileId);
      }

      @Override
      public ConsentDecision consent(String profileId, Channel channel, Purpose purpose) {
        return fresh() && canonical.contains(profileId) ? decisions.decide(profileId, channel, purpose)
            : direct.consent(profileId, channel, purpose);
      }

      @Override
      public boolean marketingPaused(String profileId) {
        return fresh() && anyMarketing && canonical.contains(profileId) ? paused.contains(profileId) : direct.marketingPaused(profileId);
      }

      @Override
      public Optional<Suppressions.Suppression> suppression(Channel channel, String address) {
        boolean known = asked.getOrDefault(channel, Set.of()).contains(address);
        return fresh() && known ? Optional.ofNullable(suppressed.get(channel).get(address)) : direct.suppression(channel, address);
      }

      @Override
      public Optional<Creative> approvedCreative(String key, String channel) {
        return fresh() ? approved.computeIfAbsent(key + '\n' + channel, k -> direct.approvedCreative(key, channel))
            : direct.approvedCreative(key, channel);
      }

      @Override
      public List<String> deviceTokens(String profileId) {
        return fresh() && tokens != null && canonical.contains(profileId) ? tokens.getOrDefault(profileId, List.of())
            : direct.deviceTokens(profileId);
      }
    };
  }
}
