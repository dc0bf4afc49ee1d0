package dev.overture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * No circle between classes: a facade uses its internals, never the other way round, and a record that two
 * classes share lives in a file of its own. Each top-level class with its nested classes is one node, so a
 * record nested in a facade and used by its internals shows up as the circle it is. ModularityTest keeps the
 * modules apart; this keeps each module's classes in order. Plain JUnit: no Spring context.
 */
class ClassCyclesTest {

  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.overture");

  @Test
  void noTwoClassesDependOnEachOther() {
    slices().assignedFrom(new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass c) {
        return c.getPackageName().startsWith("dev.overture") ? SliceIdentifier.of(outermost(c)) : SliceIdentifier.ignore();
      }

      @Override
      public String getDescription() {
        return "top-level classes of dev.overture";
      }
    }).should().beFreeOfCycles().check(MAIN);
  }

  private static String outermost(JavaClass c) {
    JavaClass outer = c;
    while (outer.getEnclosingClass().isPresent()) {
      outer = outer.getEnclosingClass().get();
    }
    return outer.getName();
  }
}
