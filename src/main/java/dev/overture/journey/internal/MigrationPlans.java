package dev.overture.journey.internal;

import dev.overture.platform.Unprocessable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.management.ActivityStatistics;
import org.camunda.bpm.engine.migration.MigratingActivityInstanceValidationReport;
import org.camunda.bpm.engine.migration.MigratingProcessInstanceValidationException;
import org.camunda.bpm.engine.migration.MigratingProcessInstanceValidationReport;
import org.camunda.bpm.engine.migration.MigratingTransitionInstanceValidationReport;
import org.camunda.bpm.engine.migration.MigrationInstruction;
import org.camunda.bpm.engine.migration.MigrationInstructionValidationReport;
import org.camunda.bpm.engine.migration.MigrationPlan;
import org.camunda.bpm.engine.migration.MigrationPlanBuilder;
import org.camunda.bpm.engine.migration.MigrationPlanValidationException;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Camunda migration plans between two versions of a journey: elements with the same id map to each other, explicit
 * pairs override that for their source, and the engine validates the plan (an invalid one is a 422 problem naming
 * each instruction's failures). A dry run also tries the plan on the running instances, in a transaction that is
 * rolled back, so that each instance the engine would refuse is named with its reasons and nothing moves.
 */
@Component
public class MigrationPlans {

  private final RuntimeService runtime;
  private final ManagementService management;
  private final TransactionTemplate rolledBack;

  MigrationPlans(RuntimeService runtime, ManagementService management, PlatformTransactionManager transactions) {
    this.runtime = runtime;
    this.management = management;
    this.rolledBack = new TransactionTemplate(transactions);
    this.rolledBack.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  /** One instruction of a plan: instances at {@code source} of the old version go to {@code target} of the new. */
  public record Instruction(String source, String target) {}

  /** A source element with running instances, and where the plan sends them (null: nowhere, they would fail). */
  public record ElementCount(String elementId, long instances, @Nullable String target) {}

  /** An instance the engine would not migrate, and why. */
  public record Failure(String processInstanceId, List<String> reasons) {}

  /** The plan between two definitions, validated by the engine. */
  public MigrationPlan build(String sourceDefinitionId, String targetDefinitionId, Map<String, String> mapping) {
    Map<String, String> pairs = new LinkedHashMap<>();
    try {
      // the engine's own same-id mapping (it knows which elements can be mapped at all), then the explicit pairs
      runtime.createMigrationPlan(sourceDefinitionId, targetDefinitionId).mapEqualActivities().build()
          .getInstructions().forEach(i -> pairs.put(i.getSourceActivityId(), i.getTargetActivityId()));
    } catch (MigrationPlanValidationException sameIdsInvalid) {
      // an explicit pair may be what repairs it: start from every same-id instruction, the failing ones included
      sameIdsInvalid.getValidationReport().getMigrationPlan().getInstructions()
          .forEach(i -> pairs.put(i.getSourceActivityId(), i.getTargetActivityId()));
    }
    if (mapping != null) {
      pairs.putAll(mapping);
    }
    MigrationPlanBuilder builder = runtime.createMigrationPlan(sourceDefinitionId, targetDefinitionId);
    pairs.forEach(builder::mapActivities);
    try {
      return builder.build();
    } catch (MigrationPlanValidationException e) {
      List<Map<String, Object>> failures = new ArrayList<>();
      for (MigrationInstructionValidationReport r : e.getValidationReport().getInstructionReports()) {
        failures.add(Map.of("source", r.getMigrationInstruction().getSourceActivityId(),
            "target", r.getMigrationInstruction().getTargetActivityId(), "failures", r.getFailures()));
      }
      throw new Unprocessable("invalid-migration-plan", "The migration plan is not valid: " + failures.size()
          + " instruction(s) fail (see instructions)").with("instructions", failures);
    } catch (ProcessEngineException e) {
      throw new Unprocessable("invalid-migration-plan", "The migration plan is not valid: " + e.getMessage());
    }
  }

  public static List<Instruction> instructions(MigrationPlan plan) {
    List<Instruction> out = new ArrayList<>();
    for (MigrationInstruction i : plan.getInstructions()) {
      out.add(new Instruction(i.getSourceActivityId(), i.getTargetActivityId()));
    }
    return out;
  }

  /** The source version's elements with running instances (instances there now), and their targets in the plan. */
  public List<ElementCount> elements(MigrationPlan plan) {
    Map<String, String> targets = new LinkedHashMap<>();
    plan.getInstructions().forEach(i -> targets.put(i.getSourceActivityId(), i.getTargetActivityId()));
    List<ElementCount> out = new ArrayList<>();
    for (ActivityStatistics s : management.createActivityStatisticsQuery(plan.getSourceProcessDefinitionId()).list()) {
      out.add(new ElementCount(s.getId(), s.getInstances(), targets.get(s.getId())));
    }
    return out;
  }

  /**
   * The instances the engine would refuse to migrate under the plan, found by migrating them in a transaction that is
   * rolled back: all at once first (one transaction when every instance can move), one by one only when one cannot.
   * The instances tried are locked until the rollback.
   */
  public List<Failure> tryOut(MigrationPlan plan, List<String> instanceIds) {
    if (instanceIds.isEmpty() || attempt(plan, instanceIds) == null) {
      return List.of();
    }
    List<Failure> failures = new ArrayList<>();
    for (String id : instanceIds) {
      Failure failure = attempt(plan, List.of(id));
      if (failure != null) {
        failures.add(failure);
      }
    }
    return failures;
  }

  private Failure attempt(MigrationPlan plan, List<String> instanceIds) {
    return rolledBack.execute(status -> {
      status.setRollbackOnly();
      try {
        runtime.newMigration(plan).processInstanceIds(instanceIds).execute();
        return null;
      } catch (MigratingProcessInstanceValidationException e) {
        return failure(e.getValidationReport());
      } catch (ProcessEngineException e) {
        return new Failure(instanceIds.size() == 1 ? instanceIds.get(0) : null, List.of(e.getMessage()));
      }
    });
  }

  private static Failure failure(MigratingProcessInstanceValidationReport report) {
    List<String> reasons = new ArrayList<>(report.getFailures());
    for (MigratingActivityInstanceValidationReport a : report.getActivityInstanceReports()) {
      a.getFailures().forEach(f -> reasons.add(a.getSourceScopeId() + ": " + f));
    }
    for (MigratingTransitionInstanceValidationReport t : report.getTransitionInstanceReports()) {
      t.getFailures().forEach(f -> reasons.add(t.getSourceScopeId() + ": " + f));
    }
    return new Failure(report.getProcessInstanceId(), reasons);
  }
}
