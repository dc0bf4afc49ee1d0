package dev.overture.delivery.internal;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.delivery.Delivery;
import dev.overture.event.Events;
import dev.overture.profile.Profile;
import dev.overture.profile.Profiles;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends one claimed email: consent is checked again at send time, the approved creative is
 * rendered for the profile, the {@link EmailSender} delivers it, and the row records the outcome.
 * Transient failures come back later with exponential backoff and jitter; permanent ones fail.
 */
@Component
public class EmailDispatcher {

  private static final Logger log = LoggerFactory.getLogger(EmailDispatcher.class);

  private final Outbox outbox;
  private final Creatives creatives;
  private final Consents consents;
  private final Profiles profiles;
  private final Events events;
  private final EmailSender emailSender;
  private final EmailSender testProfileSender;
  private final DeliveryProperties props;

  EmailDispatcher(Outbox outbox, Creatives creatives, Consents consents, Profiles profiles, Events events,
      EmailSender emailSender, DeliveryProperties props) {
    this.events = events;
    this.outbox = outbox;
    this.creatives = creatives;
    this.consents = consents;
    this.profiles = profiles;
    this.emailSender = emailSender;
    this.testProfileSender = new FileOutboxEmailSender(java.nio.file.Path.of(props.outboxDir()));
    this.props = props;
  }

  public void dispatch(Delivery message) {
    Purpose purpose = Purpose.fromKey(message.purpose()).orElse(Purpose.MARKETING);
    if (!consents.allows(message.profileId(), Channel.EMAIL, purpose)) {
      outbox.finish(message.id(), Delivery.SUPPRESSED, "no " + purpose.key() + " consent for email at send time", null, null);
      return;
    }
    if (purpose == Purpose.MARKETING && events.marketingPaused(message.profileId())) {
      outbox.finish(message.id(), Delivery.SUPPRESSED, "marketing paused: the customer has an open service ticket", null, null);
      return;
    }
    Optional<Profile> profile = profiles.find(message.profileId());
    if (profile.isEmpty() || profile.get().email() == null) {
      outbox.finish(message.id(), Delivery.SUPPRESSED, "profile has no email address", null, null);
      return;
    }
    Optional<Creatives.Creative> creative = creatives.approved(message.creativeKey(), Channel.EMAIL.key());
    if (creative.isEmpty()) {
      outbox.finish(message.id(), Delivery.FAILED, "no approved email creative '" + message.creativeKey() + "'", null, null);
      return;
    }
    String to = profile.get().email();
    Creatives.Rendered rendered = creatives.render(creative.get(), context(profile.get()));
    // a test profile walks journeys before launch: its mail goes only to the file outbox
    EmailSender sender = profiles.isTestProfile(message.profileId()) ? testProfileSender : emailSender;
    try {
      sender.send(new OutboundEmail(message.id(), props.email().from(), to, rendered.subject(), rendered.text(), rendered.html()));
      outbox.finish(message.id(), Delivery.SENT, null, to, rendered.version());
    } catch (DeliveryException e) {
      if (e.isTransient() && message.attempts() < props.maxAttempts()) {
        Instant next = Instant.now().plus(backoff(message.attempts()));
        log.warn("Email {} attempt {} failed, retrying at {}: {}", message.id(), message.attempts(), next, e.getMessage());
        outbox.retryAt(message.id(), next, "attempt " + message.attempts() + " failed: " + e.getMessage());
      } else {
        log.warn("Email {} failed after {} attempt(s): {}", message.id(), message.attempts(), e.getMessage());
        outbox.finish(message.id(), Delivery.FAILED, e.getMessage(), to, rendered.version());
      }
    }
  }

  /** Exponential backoff with "equal jitter": half fixed, half random, capped. */
  Duration backoff(int attempt) {
    long base = props.retryBase().toMillis();
    long capped = Math.min(props.retryMax().toMillis(), base << Math.min(attempt - 1, 20));
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  private static Map<String, Object> context(Profile profile) {
    Map<String, Object> context = new HashMap<>(profile.attributes());
    context.put("profileId", profile.id());
    context.put("email", profile.email());
    return context;
  }
}
