package dev.overture.support;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Class data sharing (JDK dynamic AppCDS) for the app processes of one test JVM: the first app to start writes
 * the classes it loaded into an archive when it exits ({@code -XX:ArchiveClassesAtExit}), and the apps after it map
 * that archive instead of loading, parsing and verifying the same 17,000 classes again
 * ({@code -XX:SharedArchiveFile}): a boot's CPU 11-12 s without, 7.5 s with (docs/performance.md). The JDK
 * archives classes from jars only and refuses a class path with a non-empty directory, so the apps run from jars
 * of the test JVM's class directories, made here once per test JVM; archive and jars are made afresh each test
 * JVM, so they always hold the classes just compiled.
 */
final class AppClassData {

  private static final Path DIR = Path.of("target", "app-process-cds");
  private static final Path ARCHIVE = DIR.resolve("app.jsa");

  private static String classPath;
  private static boolean dumping;
  private static boolean archived;

  private AppClassData() {}

  /**
   * The test JVM's class path for a child JVM: without empty entries (Surefire's has one, which a child JVM reads
   * as the working directory, and the engine would then deploy ./bpmn beside the class path's bpmn: duplicate
   * keys), each class directory as a jar of its contents.
   */
  static synchronized String classPath() {
    if (classPath == null) {
      try {
        StandaloneApps.deleteRecursively(DIR);
        Files.createDirectories(DIR);
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
          if (entry.isBlank()) {
            continue;
          }
          Path path = Path.of(entry);
          entries.add(Files.isDirectory(path) ? jar(path, DIR.resolve(entries.size() + "-" + path.getFileName() + ".jar")) : entry);
        }
        classPath = String.join(File.pathSeparator, entries);
      } catch (IOException e) {
        throw new UncheckedIOException("Could not make the app processes' class path", e);
      }
    }
    return classPath;
  }

  /**
   * The JVM options of the next app to start: map the archive once it is written; else, when no app is writing it,
   * this one writes it at its exit ({@code dumper[0]} set), and the apps that start meanwhile go without.
   */
  static synchronized List<String> jvmOptions(boolean[] dumper) {
    if (archived) {
      return List.of("-XX:SharedArchiveFile=" + ARCHIVE.toAbsolutePath());
    }
    if (dumping) {
      return List.of();
    }
    dumping = true;
    dumper[0] = true;
    // the JDK warns for each class it cannot archive (generated accessors, old class files): noise in the app's log
    return List.of("-XX:ArchiveClassesAtExit=" + ARCHIVE.toAbsolutePath(), "-Xlog:cds=error");
  }

  /** The app that writes the archive has exited: the archive is there if it ended normally (not killed). */
  static synchronized void dumperExited(boolean normally) {
    dumping = false;
    archived = normally && Files.isRegularFile(ARCHIVE);
    if (!archived) {
      try {
        Files.deleteIfExists(ARCHIVE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The directory's files as a jar, with its directory entries: resource patterns ({@code classpath*:bpmn/**}) need them. */
  private static String jar(Path dir, Path jar) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out);
         Stream<Path> paths = Files.walk(dir)) {
      zip.setLevel(Deflater.BEST_SPEED);
      for (Path p : paths.sorted().toList()) {
        if (p.equals(dir)) {
          continue;
        }
        String name = dir.relativize(p).toString().replace(File.separatorChar, '/');
        boolean directory = Files.isDirectory(p);
        zip.putNextEntry(new ZipEntry(directory ? name + "/" : name));
        if (!directory) {
          Files.copy(p, zip);
        }
        zip.closeEntry();
      }
    }
    return jar.toAbsolutePath().toString();
  }
}
