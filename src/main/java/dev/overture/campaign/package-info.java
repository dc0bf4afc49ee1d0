/**
 * Campaigns and their approval process; creatives are reached only through delivery's
 * {@code Creatives} facade.
 */
@ApplicationModule(displayName = "Campaign",
    allowedDependencies = {"profile", "segment", "journey", "enrollment", "delivery"})
package dev.overture.campaign;

import org.springframework.modulith.ApplicationModule;
