/** The journey catalog, entries, re-entry rules and correlation of events to running journeys. */
@ApplicationModule(displayName = "Journey", allowedDependencies = {"profile", "event", "delivery"})
package dev.overture.journey;

import org.springframework.modulith.ApplicationModule;
