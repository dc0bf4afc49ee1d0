package dev.overture.delivery;

import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import dev.overture.delivery.internal.Outbox;
import dev.overture.profile.ProfilesMerged;
import java.util.List;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Messages to customers. {@link #enqueue} writes an outbox row in the caller's transaction (the
 * engine step's), so the message exists exactly when the step committed; the dispatcher flows send it.
 */
@Service
public class Deliveries {

  private final Outbox outbox;

  Deliveries(Outbox outbox) {
    this.outbox = outbox;
  }

  /** Where a message comes from in a journey. */
  public record Origin(String journeyKey, String processInstanceId, String activityId) {}

  /** Queues a message; returns the outbox id, which is also the provider's idempotency key. */
  public String enqueue(String profileId, Channel channel, Purpose purpose, String creativeKey, Origin origin) {
    return outbox.insert(profileId, channel, purpose, creativeKey, origin);
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
}
