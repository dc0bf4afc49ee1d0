/** The consent ledger and the suppression list, per profile. */
@ApplicationModule(displayName = "Consent", allowedDependencies = "profile")
package dev.overture.consent;

import org.springframework.modulith.ApplicationModule;
