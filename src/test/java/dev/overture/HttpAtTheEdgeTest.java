package dev.overture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.overture.platform.ApiProblem;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * HTTP stays at the edge: domain code and BPMN delegates throw domain exceptions, and only controllers,
 * servlet filters and valves, and the problem handler speak in {@link ApiProblem}s. Plain JUnit: no Spring context.
 */
class HttpAtTheEdgeTest {

  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.overture");

  /**
   * The event module decides by ApiProblem's status whether a bad event is refused or retried (the AMQP
   * dead-letter, the batch validation), including the problems that {@code Profiles} throws for it; they
   * keep speaking HTTP until that code tells the cases apart by domain exception.
   */
  private static final Set<String> STILL_HTTP = Set.of("dev.overture.profile.Profiles", "dev.overture.profile.MergeRetry");

  @Test
  void onlyControllersFiltersAndTheProblemHandlerUseApiProblem() {
    noClasses().that(not(edge()))
        .should().dependOnClassesThat().areAssignableTo(ApiProblem.class)
        .check(MAIN);
  }

  private static DescribedPredicate<JavaClass> edge() {
    DescribedPredicate<JavaClass> top = DescribedPredicate.describe("outermost class at the HTTP edge", c -> {
      JavaClass outer = c;
      while (outer.getEnclosingClass().isPresent()) {
        outer = outer.getEnclosingClass().get();
      }
      String name = outer.getSimpleName();
      return name.endsWith("Controller") || name.endsWith("Filter") || name.endsWith("Valve")
          || name.equals("ProblemHandler") || name.equals("ApiProblem") || STILL_HTTP.contains(outer.getName());
    });
    return top.or(resideInAPackage("dev.overture.event.."));
  }
}
