/**
 * GDPR export and erasure: above every module whose data they collect, and used by none of them.
 */
@ApplicationModule(displayName = "Privacy", allowedDependencies = {"profile", "consent", "event", "delivery", "journey", "experiment", "sendtime"})
package dev.overture.privacy;

import org.springframework.modulith.ApplicationModule;
