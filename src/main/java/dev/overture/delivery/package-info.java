/**
 * Creatives, the outbox and the channel flows; it checks consent and suppression at send time and
 * reports outcomes as customer events.
 */
@ApplicationModule(displayName = "Delivery", allowedDependencies = {"profile", "consent", "event"})
package dev.overture.delivery;

import org.springframework.modulith.ApplicationModule;
