/**
 * Ingested customer events. Journeys react to them through {@link dev.overture.event.EventReactions},
 * an interface of this module that the journey module implements, so events never depend on journeys.
 */
@ApplicationModule(displayName = "Event", allowedDependencies = "profile")
package dev.overture.event;

import org.springframework.modulith.ApplicationModule;
