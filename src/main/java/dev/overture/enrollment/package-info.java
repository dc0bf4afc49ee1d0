/** Audience enrollment: a segment's consenting members entered into a journey in chunks. */
@ApplicationModule(displayName = "Enrollment", allowedDependencies = {"consent", "segment", "journey"})
package dev.overture.enrollment;

import org.springframework.modulith.ApplicationModule;
