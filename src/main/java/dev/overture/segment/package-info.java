/** Segments: FEEL over profile attributes, consents and event aggregates. */
@ApplicationModule(displayName = "Segment", allowedDependencies = {"profile", "consent", "event"})
package dev.overture.segment;

import org.springframework.modulith.ApplicationModule;
