package dev.overture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A class a newcomer can read in one sitting: no main source file over 300 lines, unless its Javadoc says why
 * it must be ("Over 300 lines because …"), so that a facade growing a second job shows up in review.
 */
class ClassSizeTest {

  private static final int MAX_LINES = 300;
  private static final String REASON = "Over 300 lines because";

  @Test
  void noMainClassIsOver300LinesWithoutAReason() throws IOException {
    List<String> tooLong;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      tooLong = files.filter(f -> f.toString().endsWith(".java")).filter(ClassSizeTest::tooLong).map(Path::toString).toList();
    }
    assertThat(tooLong).as("main classes over %d lines without '%s' in their Javadoc", MAX_LINES, REASON).isEmpty();
  }

  private static boolean tooLong(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return lines.size() > MAX_LINES && lines.stream().noneMatch(l -> l.contains(REASON));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
