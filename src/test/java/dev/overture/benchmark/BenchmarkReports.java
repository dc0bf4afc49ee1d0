package dev.overture.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;

/** A benchmark's results as a two-column Markdown table, to the log and to {@code target/benchmark/<file>}. */
final class BenchmarkReports {

  private BenchmarkReports() {}

  static void write(String file, String title, Map<String, String> results, Logger log) throws IOException {
    StringBuilder md = new StringBuilder("| measure | value |\n|---|---|\n");
    results.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    Files.createDirectories(Path.of("target", "benchmark"));
    Files.writeString(Path.of("target", "benchmark", file), md);
    log.info("{}:\n{}", title, md);
  }
}
