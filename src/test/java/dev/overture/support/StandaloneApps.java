package dev.overture.support;

import dev.overture.OvertureApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole app started as an operator starts it, for tests that stop and start it: no DB_URL, so an
 * embedded MariaDB with its data under {@code dir/mariadb}, and the file outbox under {@code dir/outbox}.
 */
public final class StandaloneApps {

  /**
   * The JUnit tag of every test class that starts or stops apps of its own, as processes ({@link AppProcess}).
   * Such a class also declares {@code @Execution(CONCURRENT)} and {@code @ResourceLock(APP_PROCESSES)}: it runs
   * beside the shared context's classes, one such class at a time (junit-platform.properties, docs/decisions.md).
   * {@code -Doverture.skip-standalone-tests=true} leaves these classes out.
   */
  public static final String TAG = "standalone";

  /** The lock that lets one app-process class run at a time beside the shared context's classes. */
  public static final String APP_PROCESSES = "app-processes";

  private StandaloneApps() {}

  /**
   * Starts the app inside this JVM, for a benchmark alone in its JVM; a test of the suite starts an
   * {@link AppProcess} instead. {@code extraArgs} are further command-line arguments ({@code --name=value}).
   */
  public static ConfigurableApplicationContext start(Path dir, String... extraArgs) {
    requireOwnJvm();
    // command-line arguments, so they win over application.yml as they would for an operator
    List<String> args = new ArrayList<>(List.of(
        "--overture.db.url=",
        "--overture.db.embedded-dir=" + dir.resolve("mariadb"),
        "--overture.db.embedded-port=0",
        "--server.port=0",
        "--overture.admin.user=" + AppTestBase.ADMIN,
        "--overture.admin.password=" + AppTestBase.ADMIN_PASSWORD,
        "--overture.delivery.outbox-dir=" + dir.resolve("outbox")));
    args.addAll(fileOutboxFor("email", "sms", "push", "webhook", "audience"));
    args.addAll(List.of(extraArgs));
    return new SpringApplicationBuilder(OvertureApplication.class).run(args.toArray(String[]::new));
  }

  /**
   * Arguments that send these channels to the file outbox by name ({@code --overture.delivery.<channel>.provider=file}):
   * an app outside the dev profile without a channel's provider refuses to start with a journey that uses it.
   */
  public static List<String> fileOutboxFor(String... channels) {
    return java.util.Arrays.stream(channels).map(c -> "--overture.delivery." + c + ".provider=file").toList();
  }

  /**
   * Closing an app resets the Camunda webapps' JVM-wide state (the Cockpit, Tasklist and Admin runtime
   * delegates) under every other app of the JVM, so the shared test context's webapps would answer 500.
   * Fails a start inside a JVM that was not given to it alone ({@code -Doverture.tests.standalone-jvm=true}, as the
   * benchmark profile does).
   */
  public static void requireOwnJvm() {
    if (!Boolean.getBoolean("overture.tests.standalone-jvm")) {
      throw new IllegalStateException("An app inside the test JVM would reset the shared test context's Camunda webapps "
          + "when it closes: start it as an AppProcess (tagged @Tag(StandaloneApps.TAG))");
    }
  }

  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
