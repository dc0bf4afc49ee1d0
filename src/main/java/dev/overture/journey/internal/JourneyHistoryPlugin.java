package dev.overture.journey.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.camunda.bpm.engine.impl.history.event.HistoricActivityInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoricProcessInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.handler.DbHistoryEventHandler;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Registers the journey history level ({@code camunda.bpm.history-level: overture-journeys}) and one
 * history event handler in place of Camunda's default: events of customer journeys go to the
 * {@link JourneyLog}, every other event to Camunda's own {@link DbHistoryEventHandler} (ACT_HI_*),
 * through the documented SPI ({@code customHistoryLevels}, {@code customHistoryEventHandlers},
 * {@code enableDefaultDbHistoryEventHandler}), and Camunda's event producer, but for migrated activities of a
 * journey, which also name where they came from ({@link MigrationHistoryProducer}).
 */
@Component
class JourneyHistoryPlugin implements ProcessEnginePlugin {

  private static final Logger log = LoggerFactory.getLogger(JourneyHistoryPlugin.class);

  private final JourneyLog journeyLog;
  private final boolean enabled;

  JourneyHistoryPlugin(JourneyLog journeyLog, Environment environment) {
    this.journeyLog = journeyLog;
    // another level (e.g. full, as the benchmark's bare-Camunda baseline runs) leaves the engine as Camunda configures it
    this.enabled = JourneyHistoryLevel.NAME.equalsIgnoreCase(environment.getProperty("camunda.bpm.history-level", ""));
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomHistoryLevels() == null) {
      configuration.setCustomHistoryLevels(new ArrayList<>());
    }
    configuration.getCustomHistoryLevels().add(new JourneyHistoryLevel());
    if (!enabled) {
      return;
    }
    if (configuration.getCustomHistoryEventHandlers() == null) {
      configuration.setCustomHistoryEventHandlers(new ArrayList<>());
    }
    configuration.getCustomHistoryEventHandlers().add(new Router(journeyLog, new DbHistoryEventHandler()));
    configuration.setEnableDefaultDbHistoryEventHandler(false);
    configuration.setHistoryEventProducer(new MigrationHistoryProducer());
    configuration.setHistoryRemovalTimeProvider(new JourneyRemovalTimes());
  }

  /**
   * A database that Overture ran with Camunda's full history (level 3) before the journey log existed
   * is switched to the journey level: the engine refuses to start when the stored level differs from
   * the configured one. Nothing else about the stored history changes.
   */
  @Override
  public void postInit(ProcessEngineConfigurationImpl configuration) {
    if (!enabled) {
      return;
    }
    try (Connection c = configuration.getDataSource().getConnection();
         PreparedStatement s = c.prepareStatement(
             "UPDATE ACT_GE_PROPERTY SET VALUE_ = ? WHERE NAME_ = 'historyLevel' AND VALUE_ = '3'")) {
      s.setString(1, Integer.toString(JourneyHistoryLevel.ID));
      if (s.executeUpdate() > 0) {
        log.info("History level of this database changed from full to {}", JourneyHistoryLevel.NAME);
      }
    } catch (SQLException noSchemaYet) {
      // a new database: the engine creates its tables and stores the configured level itself
      log.debug("No stored history level to change: {}", noSchemaYet.getMessage());
    }
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine processEngine) {
    // nothing after build
  }

  /** Journeys' instance and activity events to the journey log, everything else to Camunda's tables. */
  static final class Router implements HistoryEventHandler {
    private final JourneyLog journeyLog;
    private final HistoryEventHandler camunda;

    Router(JourneyLog journeyLog, HistoryEventHandler camunda) {
      this.journeyLog = journeyLog;
      this.camunda = camunda;
    }

    @Override
    public void handleEvent(HistoryEvent event) {
      boolean instanceOrActivity = event instanceof HistoricProcessInstanceEventEntity
          || event instanceof HistoricActivityInstanceEventEntity;
      if (instanceOrActivity && JourneyProcesses.isJourney(event.getProcessDefinitionId())) {
        journeyLog.handle(event);
      } else {
        camunda.handleEvent(event);
      }
    }

    @Override
    public void handleEvents(List<HistoryEvent> events) {
      events.forEach(this::handleEvent);
    }
  }
}
