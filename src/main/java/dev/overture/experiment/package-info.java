/**
 * Experiments and conversions: the Split's deterministic variant assignment, goal events recorded as the
 * conversions of the journey instances they fall in (with last- and any-touch attribution to the messages
 * that reached the profile), and the results per journey, variant and the global holdout.
 */
@ApplicationModule(displayName = "Experiment", allowedDependencies = {"profile", "event", "journey", "delivery"})
package dev.overture.experiment;

import org.springframework.modulith.ApplicationModule;
