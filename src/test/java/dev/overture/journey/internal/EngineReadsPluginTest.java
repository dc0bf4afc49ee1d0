package dev.overture.journey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reads the plugin spares change nothing the engine keeps: on an engine of its own (in-memory H2), a failed
 * timer's incident still goes when the timer is deleted or the message wins the gateway, and the losing message
 * subscription still goes when the timer wins. The statements spared are held by StatementBudgetTest.
 */
class EngineReadsPluginTest {

  private static final BpmnModelInstance GATEWAY = Bpmn.createExecutableProcess("gateway")
      .startEvent()
      .eventBasedGateway()
      .intermediateCatchEvent("message").message("purchase.completed").userTask("afterMessage").endEvent()
      .moveToLastGateway()
      .intermediateCatchEvent("timer").timerWithDuration("PT1H").userTask("afterTimer").endEvent()
      .done();

  private ProcessEngine engine;

  @BeforeEach
  void engine() {
    ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration
        .createStandaloneInMemProcessEngineConfiguration()
        .setJdbcUrl("jdbc:h2:mem:engine-reads;DB_CLOSE_DELAY=1000")
        .setProcessEngineName("engine-reads")
        .setJobExecutorActivate(false);
    configuration.setProcessEnginePlugins(List.of(new EngineReadsPlugin()));
    engine = configuration.buildProcessEngine();
    // an engine of the test's own: out of the JVM-wide registry that the app tests' REST API reads
    ProcessEngines.unregister(engine);
    engine.getRepositoryService().createDeployment().addModelInstance("gateway.bpmn", GATEWAY).deploy();
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aTimerWhoseRetriesRanOutLosesItsIncidentWhenTheMessageWins() {
    String instance = engine.getRuntimeService().startProcessInstanceByKey("gateway").getId();
    Job timer = engine.getManagementService().createJobQuery().processInstanceId(instance).singleResult();
    engine.getManagementService().setJobRetries(timer.getId(), 0);
    assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(instance).count()).isEqualTo(1);

    String waiting = engine.getRuntimeService().createExecutionQuery().processInstanceId(instance)
        .messageEventSubscriptionName("purchase.completed").singleResult().getId();
    engine.getRuntimeService().messageEventReceived("purchase.completed", waiting);

    assertThat(engine.getManagementService().createJobQuery().processInstanceId(instance).count()).isZero();
    assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(instance).count()).isZero();
    assertThat(engine.getTaskService().createTaskQuery().processInstanceId(instance).singleResult().getTaskDefinitionKey())
        .isEqualTo("afterMessage");
  }

  @Test
  void aJobWhoseRetriesRanOutLosesItsIncidentWhenItIsDeleted() {
    String instance = engine.getRuntimeService().startProcessInstanceByKey("gateway").getId();
    Job timer = engine.getManagementService().createJobQuery().processInstanceId(instance).singleResult();
    engine.getManagementService().setJobRetries(timer.getId(), 0);

    engine.getManagementService().deleteJob(timer.getId());

    assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(instance).count()).isZero();
  }

  @Test
  void aTimerWithRetriesLeftWinsAndTheMessageSubscriptionGoes() {
    String instance = engine.getRuntimeService().startProcessInstanceByKey("gateway").getId();
    Job timer = engine.getManagementService().createJobQuery().processInstanceId(instance).singleResult();

    engine.getManagementService().executeJob(timer.getId());

    assertThat(engine.getRuntimeService().createEventSubscriptionQuery().processInstanceId(instance).count()).isZero();
    assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(instance).count()).isZero();
    assertThat(engine.getTaskService().createTaskQuery().processInstanceId(instance).singleResult().getTaskDefinitionKey())
        .isEqualTo("afterTimer");
  }
}
