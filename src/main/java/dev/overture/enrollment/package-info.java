/**
 * Audience enrollment: a segment's consenting members entered into a journey in chunks, once, on a cron schedule, or
 * one by one as profiles enter a journey's entry segment.
 */
@ApplicationModule(displayName = "Enrollment", allowedDependencies = {"profile", "event", "consent", "segment", "journey"})
package dev.overture.enrollment;

import org.springframework.modulith.ApplicationModule;
