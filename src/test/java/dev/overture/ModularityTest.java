package dev.overture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The module walls: each package under {@code dev.overture} is a module that uses only the
 * dependencies its {@code package-info.java} declares, only through other modules' root packages
 * (never their {@code internal}), and with no cycle between modules. Plain JUnit: no Spring context.
 *
 * <p>The module documentation under {@code docs/modules} is generated from the same model, so it
 * cannot drift from the code: the test writes it afresh and fails when the committed files differ.
 * {@code -Doverture.module-docs.update=true} copies the fresh files over the committed ones.
 */
class ModularityTest {

  private static final ApplicationModules MODULES = ApplicationModules.of(OvertureApplication.class);

  private static final Path COMMITTED = Path.of("docs", "modules");
  private static final Path GENERATED = Path.of("target", "module-docs");

  @Test
  void everyModuleKeepsToItsDeclaredDependenciesWithoutCycles() {
    MODULES.verify();
  }

  @Test
  void committedModuleDocumentationIsWhatTheModulesSay() throws IOException {
    new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(GENERATED.toString()))
        .writeModulesAsPlantUml()
        .writeModuleCanvases();
    for (String name : fileNames(GENERATED)) {
      Path file = GENERATED.resolve(name);
      Files.writeString(file, inStableOrder(Files.readString(file)));
    }

    if (Boolean.getBoolean("overture.module-docs.update")) {
      replaceCommittedWithGenerated();
    }

    assertThat(fileNames(COMMITTED))
        .as("files in %s (update with -Doverture.module-docs.update=true)", COMMITTED)
        .isEqualTo(fileNames(GENERATED));
    for (String name : fileNames(GENERATED)) {
      assertThat(Files.readString(COMMITTED.resolve(name)))
          .as("%s is stale: run ModularityTest with -Doverture.module-docs.update=true and commit it",
              COMMITTED.resolve(name))
          .isEqualTo(Files.readString(GENERATED.resolve(name)));
    }
  }

  /**
   * The Documenter lists relations and bean references in the order it meets them on the class
   * path, which differs between machines; each run of list lines is sorted so that the files
   * compare equal wherever they were written.
   */
  static String inStableOrder(String document) {
    List<String> lines = document.lines().toList();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); ) {
      int end = i;
      while (end < lines.size() && isListLine(lines.get(end))) {
        end++;
      }
      if (end == i) {
        out.add(lines.get(i++));
        continue;
      }
      boolean cellStart = lines.get(i).startsWith("|");
      List<String> run = new ArrayList<>(
          lines.subList(i, end).stream().map(l -> l.startsWith("|") ? l.substring(1) : l).toList());
      Collections.sort(run);
      if (cellStart) {
        run.set(0, "|" + run.get(0));
      }
      out.addAll(run);
      i = end;
    }
    return String.join("\n", out) + "\n";
  }

  private static boolean isListLine(String line) {
    String trimmed = line.strip();
    return trimmed.startsWith("Rel(") || trimmed.startsWith("Component(")
        || line.startsWith("* ") || line.startsWith("|* ");
  }

  private static void replaceCommittedWithGenerated() throws IOException {
    Files.createDirectories(COMMITTED);
    for (String name : fileNames(COMMITTED)) {
      Files.delete(COMMITTED.resolve(name));
    }
    for (String name : fileNames(GENERATED)) {
      Files.copy(GENERATED.resolve(name), COMMITTED.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static List<String> fileNames(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
