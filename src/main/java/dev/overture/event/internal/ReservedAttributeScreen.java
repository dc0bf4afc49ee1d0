package dev.overture.event.internal;

import dev.overture.event.InboundEvent;
import dev.overture.profile.ReservedAttributes;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Takes the reserved attributes out of what outside sources send: out of traits, which become profile
 * attributes, and out of the top-level properties, which become journey variables on entry (and from there may
 * reach an Update profile step). Whoever holds the Segment write key (it ships inside web pages) or an
 * {@code events:write} key may describe a customer, not change how Overture treats them.
 */
@Component
public class ReservedAttributeScreen {

  private final ReservedAttributes reserved;

  ReservedAttributeScreen(ReservedAttributes reserved) {
    this.reserved = reserved;
  }

  /** The batch with traits and properties screened; null entries stay for the validator to refuse. */
  public List<InboundEvent> screen(List<InboundEvent> batch) {
    if (batch == null) {
      return null;
    }
    return batch.stream().map(this::screen).toList();
  }

  private InboundEvent screen(InboundEvent e) {
    if (e == null) {
      return null;
    }
    String source = e.source() == null ? "api" : e.source();
    Map<String, Object> traits = reserved.withoutReserved(e.traits(), source);
    Map<String, Object> properties = reserved.withoutReserved(e.properties(), source);
    if (traits == e.traits() && properties == e.properties()) {
      return e;
    }
    return new InboundEvent(e.eventId(), e.type(), e.profileId(), e.identities(), e.occurredAt(), properties, traits,
        e.aliasOf(), e.source());
  }
}
