/**
 * Shared infrastructure (database, security, problem responses) that every module may use; it uses
 * no module itself, so it can never close a cycle.
 */
@ApplicationModule(displayName = "Platform", allowedDependencies = {})
package dev.overture.platform;

import org.springframework.modulith.ApplicationModule;
