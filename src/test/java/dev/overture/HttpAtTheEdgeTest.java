package dev.overture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.overture.platform.ApiProblem;
import org.junit.jupiter.api.Test;

/**
 * HTTP stays at the edge: domain code and BPMN delegates throw domain exceptions, and only controllers,
 * servlet filters and valves, and the problem handler speak in {@link ApiProblem}s. Plain JUnit: no Spring context.
 */
class HttpAtTheEdgeTest {

  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.overture");

  @Test
  void onlyControllersFiltersAndTheProblemHandlerUseApiProblem() {
    noClasses().that(not(edge()))
        .should().dependOnClassesThat().areAssignableTo(ApiProblem.class)
        .check(MAIN);
  }

  private static DescribedPredicate<JavaClass> edge() {
    DescribedPredicate<JavaClass> top = DescribedPredicate.describe("a class at the HTTP edge, or nested in one", c -> {
      for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
        String name = k.getSimpleName();
        if (name.endsWith("Controller") || name.endsWith("Filter") || name.endsWith("Valve")
            || name.equals("ProblemHandler") || name.equals("ApiProblem")) {
          return true;
        }
      }
      return false;
    });
    return top;
  }
}
