/**
 * The Camunda delegates and listeners: a layer above the modules whose facades they call, used by
 * none of them (BPMN reaches it by bean name).
 */
@ApplicationModule(displayName = "Process",
    allowedDependencies = {"profile", "consent", "segment", "journey", "delivery", "campaign", "experiment", "event", "sendtime"})
package dev.overture.process;

import org.springframework.modulith.ApplicationModule;
