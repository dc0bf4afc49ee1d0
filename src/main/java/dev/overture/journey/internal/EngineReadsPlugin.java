package dev.overture.journey.internal;

import java.util.ArrayList;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.stereotype.Component;

/**
 * Spares the engine reads whose answer it already holds, through its documented extension points: a
 * deleted job with retries left is not looked up for a failed-job incident ({@link FailedJobIncidents}), a
 * deleted message subscription not for asynchronous event jobs ({@link MessageSubscriptionDeletes}). Each is a
 * statement less in every reaction that leaves an event-based gateway or ends an instance that waited,
 * held by the statement budgets.
 */
@Component
class EngineReadsPlugin extends AbstractProcessEnginePlugin {

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomIncidentHandlers() == null) {
      configuration.setCustomIncidentHandlers(new ArrayList<>());
    }
    configuration.getCustomIncidentHandlers().add(new FailedJobIncidents());
    if (configuration.getCustomSessionFactories() == null) {
      configuration.setCustomSessionFactories(new ArrayList<>());
    }
    configuration.getCustomSessionFactories().add(new MessageSubscriptionDeletes.Factory());
  }
}
