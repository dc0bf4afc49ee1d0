/**
 * Send-time optimization: a per-profile engagement model (opens and clicks per local hour of the week, decayed by
 * age, blended with the population's) learnt from tracking and from an ESP's engagement events, answered per profile
 * and used by the "Wait for the best time" template.
 */
@ApplicationModule(displayName = "Send time", allowedDependencies = {"profile", "event", "consent", "delivery"})
package dev.overture.sendtime;

import org.springframework.modulith.ApplicationModule;
