package dev.overture.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A three-node MariaDB Galera Cluster of Debian's {@code mariadbd} and {@code galera-4} on this machine, in the
 * one configuration Camunda 7 supports (docs/operations.md, "Galera"): each node's data, socket and log under
 * {@code root/node<n>}, clients on 127.0.0.1 ports {@code 33061-33063}, group communication on {@code 45671-45673},
 * incremental state transfer on {@code 45681-45683}, rsync snapshot transfer on {@code 45691-45693}.
 *
 * <p>The first node bootstraps the cluster ({@code --wsrep-new-cluster}) from a fresh data directory; the others start
 * empty and receive it by snapshot transfer. Run as root, the servers run as {@code mysql}: the rsync daemon of a
 * joining node run by root writes as {@code nobody} and could not write its data directory. Every server this class
 * starts is stopped by {@link #close()} and, should the test JVM end first, by a shutdown hook.
 */
public final class GaleraCluster implements AutoCloseable {

  public static final int NODES = 3;
  private static final int CLIENT_PORT = 33060;
  private static final int GROUP_PORT = 45670;
  private static final int IST_PORT = 45680;
  private static final int SST_PORT = 45690;
  private static final Duration SYNCED_WITHIN = Duration.ofSeconds(120);
  private static final Path ENSURE_SCRIPT = Path.of("src", "build", "galera", "ensure-galera.sh");

  private final Path root;
  private final String database;
  private final Map<Integer, Process> servers = new ConcurrentHashMap<>();

  private GaleraCluster(Path root, String database) {
    this.root = root.toAbsolutePath();
    this.database = database;
  }

  /**
   * Installs what the cluster needs when it is missing (src/build/galera/ensure-galera.sh), starts the three nodes
   * one after another, each once it is Synced, and creates {@code database}.
   */
  public static GaleraCluster start(Path root, String database) {
    ensureInstalled();
    GaleraCluster cluster = new GaleraCluster(root, database);
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::killAll, "galera-cluster-kill"));
    try {
      cluster.stopLeftoversOfAnEarlierRun();
      StandaloneApps.deleteRecursively(cluster.root);
      cluster.requireFreePorts();
      cluster.installSystemTables(1);
      cluster.startNode(1, true);
      cluster.awaitSynced(1, 1);
      cluster.execute(1, "CREATE DATABASE `" + database + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
      for (int n = 2; n <= NODES; n++) {
        cluster.prepareEmptyNode(n);
        cluster.startNode(n, false);
        cluster.awaitSynced(n, n);
      }
      return cluster;
    } catch (IOException e) {
      cluster.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** The URL Camunda documents for Galera: the driver's sequential mode over the three nodes, the first one first. */
  public String sequentialUrl() {
    return "jdbc:mariadb:sequential://" + IntStream.rangeClosed(1, NODES).mapToObj(n -> "127.0.0.1:" + clientPort(n))
        .collect(Collectors.joining(",")) + "/" + database;
  }

  /** One node's own URL, for reading what that node has. */
  public String nodeUrl(int node) {
    return "jdbc:mariadb://127.0.0.1:" + clientPort(node) + "/" + database;
  }

  public int clientPort(int node) {
    return CLIENT_PORT + node;
  }

  /** SIGKILL, as a crash of the machine's database server: no shutdown, nothing flushed on the way out. */
  public void kill(int node) {
    Process server = servers.remove(node);
    if (server != null) {
      server.destroyForcibly();
      waitFor(server, Duration.ofSeconds(30));
    }
  }

  /** Starts a node that was stopped or killed again; it rejoins the cluster (incremental transfer) and is Synced. */
  public void restart(int node, int expectedClusterSize) {
    startNode(node, false);
    awaitSynced(node, expectedClusterSize);
  }

  /** A global variable or status value as this node reports it. */
  public String value(int node, String query) {
    try (Connection c = connect(node, ""); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getString(rs.getMetaData().getColumnCount());
    } catch (SQLException e) {
      throw new IllegalStateException("Node " + node + ": " + query + ": " + e.getMessage(), e);
    }
  }

  public long count(int node, String query) {
    return Long.parseLong(value(node, query));
  }

  public Path log(int node) {
    return nodeDir(node).resolve("run").resolve("mariadbd.err");
  }

  @Override
  public void close() {
    for (Integer node : List.copyOf(servers.keySet())) {
      Process server = servers.remove(node);
      server.destroy();
      if (!waitFor(server, Duration.ofSeconds(60))) {
        server.destroyForcibly();
        waitFor(server, Duration.ofSeconds(30));
      }
    }
  }

  private void killAll() {
    servers.values().forEach(Process::destroyForcibly);
  }

  private static void ensureInstalled() {
    try {
      Process p = new ProcessBuilder("bash", ENSURE_SCRIPT.toString()).inheritIO().start();
      if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException(ENSURE_SCRIPT + " failed: the cluster needs mariadbd, galera-4 and rsync");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void installSystemTables(int node) throws IOException {
    Path data = prepareEmptyNode(node);
    Path logFile = nodeDir(node).resolve("run").resolve("install.log");
    List<String> command = new ArrayList<>(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + data,
        // root without password from 127.0.0.1, as the test apps connect
        "--auth-root-authentication-method=normal", "--skip-test-db"));
    serverUser().ifPresent(u -> command.add("--user=" + u));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    if (!waitFor(p, Duration.ofSeconds(120)) || p.exitValue() != 0) {
      throw new IllegalStateException("mariadb-install-db failed, see " + logFile);
    }
    ownedByServerUser(nodeDir(node));
  }

  private Path prepareEmptyNode(int node) throws IOException {
    Path data = nodeDir(node).resolve("data");
    Files.createDirectories(data);
    Files.createDirectories(nodeDir(node).resolve("run"));
    ownedByServerUser(nodeDir(node));
    return data;
  }

  private void startNode(int node, boolean bootstrap) {
    Path dir = nodeDir(node);
    Path run = dir.resolve("run");
    String members = IntStream.rangeClosed(1, NODES).mapToObj(n -> "127.0.0.1:" + (GROUP_PORT + n)).collect(Collectors.joining(","));
    List<String> command = new ArrayList<>(List.of("/usr/sbin/mariadbd", "--no-defaults",
        "--datadir=" + dir.resolve("data"), "--port=" + clientPort(node), "--bind-address=127.0.0.1",
        "--socket=" + run.resolve("mariadbd.sock"), "--pid-file=" + run.resolve("mariadbd.pid"),
        "--log-error=" + log(node),
        "--character-set-server=utf8mb4", "--collation-server=utf8mb4_bin", "--max-connections=500",
        // three servers beside the app on a shared machine: small buffers
        "--innodb-buffer-pool-size=96M", "--performance-schema=OFF",
        // Camunda's supported Galera configuration (docs.camunda.org, "MariaDB Galera Database Configuration");
        // wsrep_causal_reads is the older name of bit 1 of wsrep_sync_wait, so it comes first and 7 stands
        "--binlog-format=ROW", "--default-storage-engine=InnoDB", "--innodb-autoinc-lock-mode=2",
        "--transaction-isolation=READ-COMMITTED", "--wsrep-on=ON", "--wsrep-causal-reads=ON", "--wsrep-sync-wait=7",
        "--wsrep-provider=/usr/lib/galera/libgalera_smm.so", "--wsrep-cluster-name=overture-test",
        "--wsrep-cluster-address=gcomm://" + members, "--wsrep-node-name=node" + node,
        "--wsrep-node-address=127.0.0.1:" + (GROUP_PORT + node),
        "--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:" + (GROUP_PORT + node)
            + ";ist.recv_addr=127.0.0.1:" + (IST_PORT + node) + ";gcache.size=128M",
        "--wsrep-sst-method=rsync", "--wsrep-sst-receive-address=127.0.0.1:" + (SST_PORT + node)));
    serverUser().ifPresent(u -> command.add("--user=" + u));
    if (bootstrap) {
      command.add("--wsrep-new-cluster");
    }
    try {
      Process server = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(run.resolve("mariadbd.out").toFile())).start();
      servers.put(node, server);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start Galera node " + node, e);
    }
  }

  private void awaitSynced(int node, int clusterSize) {
    await().atMost(SYNCED_WITHIN).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
      Process server = servers.get(node);
      if (server == null || !server.isAlive()) {
        throw new IllegalStateException("Galera node " + node + " exited; see " + log(node));
      }
      return "Synced".equals(value(node, "SHOW STATUS LIKE 'wsrep_local_state_comment'"))
          && Integer.parseInt(value(node, "SHOW STATUS LIKE 'wsrep_cluster_size'")) == clusterSize;
    });
  }

  private void execute(int node, String sql) {
    try (Connection c = connect(node, ""); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("Node " + node + ": " + sql + ": " + e.getMessage(), e);
    }
  }

  private Connection connect(int node, String db) throws SQLException {
    return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + clientPort(node) + "/" + db + "?connectTimeout=2000", "root", "");
  }

  private Path nodeDir(int node) {
    return root.resolve("node" + node);
  }

  /**
   * A run of this test whose JVM was killed leaves its servers running on the ports: stop those, and only those
   * (their pid file is in this cluster's directory and their command line names this cluster's data directory).
   */
  private void stopLeftoversOfAnEarlierRun() throws IOException {
    for (int n = 1; n <= NODES; n++) {
      Path pidFile = nodeDir(n).resolve("run").resolve("mariadbd.pid");
      if (!Files.exists(pidFile)) {
        continue;
      }
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      String dataDir = "--datadir=" + nodeDir(n).resolve("data");
      ProcessHandle.of(pid).filter(p -> p.info().arguments().map(a -> List.of(a).contains(dataDir)).orElse(false))
          .ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
          });
    }
  }

  private void requireFreePorts() {
    for (int n = 1; n <= NODES; n++) {
      for (int port : new int[] {clientPort(n), GROUP_PORT + n, IST_PORT + n, SST_PORT + n}) {
        try (ServerSocket probe = new ServerSocket(port)) {
          probe.setReuseAddress(true);
        } catch (IOException e) {
          throw new IllegalStateException("Port " + port + " for Galera node " + n + " is taken", e);
        }
      }
    }
  }

  private static java.util.Optional<String> serverUser() {
    return "root".equals(System.getProperty("user.name")) ? java.util.Optional.of("mysql") : java.util.Optional.empty();
  }

  private static void ownedByServerUser(Path dir) throws IOException {
    if (serverUser().isEmpty()) {
      return;
    }
    UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
    var user = users.lookupPrincipalByName(serverUser().get());
    GroupPrincipal group = users.lookupPrincipalByGroupName(serverUser().get());
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.toList()) {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        view.setOwner(user);
        view.setGroup(group);
      }
    }
  }

  private static boolean waitFor(Process p, Duration within) {
    try {
      return p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
