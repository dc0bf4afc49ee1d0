/** Profiles, identities and identity merge: the bottom of the domain, used by nearly every other module. */
@ApplicationModule(displayName = "Profile", allowedDependencies = {})
package dev.overture.profile;

import org.springframework.modulith.ApplicationModule;
