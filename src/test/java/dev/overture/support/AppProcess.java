package dev.overture.support;

import static org.awaitility.Awaitility.await;

import dev.overture.OvertureApplication;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The app in a JVM of its own, started from the test JVM's class path as an operator starts the jar, so a
 * test can kill it with SIGKILL ({@link #kill()}) as a crash would. Its output goes to
 * {@code target/app-processes/<name>.log}; {@link #start} returns once it answers HTTP.
 */
public final class AppProcess implements AutoCloseable {

  private static final Duration UP_WITHIN = Duration.ofSeconds(180);
  private static final Path LOGS = Path.of("target", "app-processes");

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;
  /** Whether this app writes the class data archive of the apps after it at its exit ({@link AppClassData}). */
  private final boolean dumper;

  private AppProcess(String name, Process process, int port, Path log, boolean dumper) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
    this.dumper = dumper;
  }

  /**
   * Starts the app on {@code jdbcUrl} (user root, no password), sending email to the app processes' GreenMail
   * ({@link ProcessMail}),
   * with the test credentials; {@code extraArgs} ({@code --name=value}) come last and win.
   */
  public static AppProcess start(String name, String jdbcUrl, String... extraArgs) {
    int port = freePort();
    Path log = LOGS.resolve(name + ".log");
    boolean[] dumper = {false};
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // a test app: small heap and the quick compiler, as the machine's two cores are shared
        "-Xmx640m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    command.addAll(AppClassData.jvmOptions(dumper));
    command.addAll(List.of("-cp", AppClassData.classPath(), OvertureApplication.class.getName()));
    List<String> defaults = new ArrayList<>(List.of(
        "--overture.db.url=" + jdbcUrl, "--overture.db.user=root", "--overture.db.password=",
        "--server.port=" + port,
        "--overture.admin.user=" + AppTestBase.ADMIN,
        "--overture.admin.password=" + AppTestBase.ADMIN_PASSWORD,
        "--overture.api-key=" + AppTestBase.API_KEY,
        "--overture.events.segment-write-key=" + AppTestBase.SEGMENT_WRITE_KEY,
        "--overture.delivery.tracking.secret=tracking-secret-for-tests",
        "--overture.delivery.outbox-dir=" + LOGS.resolve(name + "-outbox"),
        "--spring.mail.host=127.0.0.1", "--spring.mail.port=" + ProcessMail.port(),
        "--camunda.bpm.job-execution.wait-time-in-millis=200"));
    // the HTTP channels to the file outbox, but for one the test gives a provider URL (both would stop the start)
    defaults.addAll(StandaloneApps.fileOutboxFor(java.util.stream.Stream.of("sms", "push", "webhook", "audience")
        .filter(c -> java.util.Arrays.stream(extraArgs).noneMatch(a -> a.startsWith("--overture.delivery." + c + ".url=")))
        .toArray(String[]::new)));
    // a default the test gives too is left out: Spring joins a repeated argument's values with commas
    List<String> given = Arrays.stream(extraArgs).map(AppProcess::key).toList();
    defaults.stream().filter(d -> !given.contains(key(d))).forEach(command::add);
    command.addAll(List.of(extraArgs));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // the shared test server's URL must not reach the child: its database is the one given here
    builder.environment().remove("DB_URL");
    Process process;
    try {
      Files.createDirectories(LOGS);
      process = builder.start();
    } catch (IOException e) {
      if (dumper[0]) {
        AppClassData.dumperExited(false);
      }
      throw new UncheckedIOException("Could not start the app process " + name, e);
    }
    // a test that fails before it closes the app must not leave it running after the build
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "app-process-" + name + "-kill"));
    AppProcess app = new AppProcess(name, process, port, log, dumper[0]);
    app.awaitUp();
    return app;
  }

  private static String key(String argument) {
    int equals = argument.indexOf('=');
    return equals < 0 ? argument : argument.substring(0, equals);
  }

  private void awaitUp() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    // readiness, not the first answer: the web server answers (401 to the configured key, say) before the
    // ApplicationReadyEvent listeners have stored that key and the access groups; readiness follows them
    HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
        .timeout(Duration.ofSeconds(5)).build();
    try {
      await().atMost(UP_WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("exited with " + process.exitValue());
        }
        try {
          return client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (ConnectException notYet) {
          return false;
        }
      });
    } catch (ConditionTimeoutException | IllegalStateException e) {
      kill();
      throw new IllegalStateException("App process " + name + " did not come up on port " + port + " within " + UP_WITHIN
          + " (" + e.getMessage() + "); its output is in " + log.toAbsolutePath() + ", ending:\n" + tail(), e);
    }
  }

  /** REST-assured against this process with the admin API key. */
  public RequestSpecification api() {
    return RestAssured.given().port(port).header("Authorization", "Bearer " + AppTestBase.API_KEY).contentType(ContentType.JSON);
  }

  public int port() {
    return port;
  }

  public Path log() {
    return log;
  }

  /** SIGKILL, as a crash: no shutdown hook, no drain, nothing written on the way out. */
  public void kill() {
    process.destroyForcibly();
    waitForExit(60);
    if (dumper) {
      AppClassData.dumperExited(false);
    }
  }

  /** SIGTERM: Spring's graceful shutdown (and the class data archive written, by the app that writes it). */
  public void stop() {
    process.destroy();
    // writing the archive, after the shutdown, took 13-35 s on a loaded machine
    if (!waitForExit(dumper ? 180 : 60)) {
      kill();
    } else if (dumper) {
      AppClassData.dumperExited(true);
    }
  }

  private boolean waitForExit(int seconds) {
    try {
      return process.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** A port free at the moment, for a server the test starts (or has an app start) on a port it knows. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
