package io.wharf.testkit.etcd;

import io.wharf.testkit.external.ExternalProgram;
import io.wharf.testkit.net.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-member etcd on free 127.0.0.1 ports with a temporary data directory.
 *
 * <p>Use it as a JUnit 5 extension ({@code @RegisterExtension static final EtcdFixture etcd =
 * new EtcdFixture();} starts it once for the class; a non-static field starts one per test) or
 * as a plain {@link AutoCloseable} ({@code try (var etcd = EtcdFixture.started()) ...}).
 *
 * <p>{@link #kill()} sends SIGKILL, {@link #stop()} SIGTERM; {@link #restart()} starts etcd again
 * on the same ports and data directory, so clients can test reconnects. {@link #close()} stops
 * etcd and deletes the temporary directory.
 *
 * <p>When the etcd binary is missing (see {@link ExternalProgram}) starting fails if
 * {@code wharf.requireExternal=true}, else aborts the test as skipped. The binary is
 * {@code /usr/bin/etcd}, or the one named by system property {@value #BINARY_PROPERTY}.
 *
 * <p>Thread safety: all methods may be called from any thread; lifecycle calls are serialized.
 */
public final class EtcdFixture
    implements AutoCloseable, BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  public static final String BINARY_PROPERTY = "wharf.etcd.binary";
  /**
   * The fixture's {@code --max-txn-ops} (etcd's default is 128): what docs/operations.md tells
   * operators to set, so tests see the transaction sizes a production cluster accepts.
   */
  public static final int MAX_TXN_OPS = 10_000;
  /** The fixture's {@code --max-request-bytes} (etcd's default is 1.5 MiB). */
  public static final int MAX_REQUEST_BYTES = 16 << 20;
  private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(30);
  private static final Duration STOP_WITHIN = Duration.ofSeconds(10);
  private static final int PORT_ATTEMPTS = 3;

  private final ReentrantLock lock = new ReentrantLock();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private Path root;
  private int clientPort;
  private int peerPort;
  private Process process;
  private Thread shutdownHook;
  private boolean closed;
  /**
   * The JUnit context (class or test) whose "before" callback started us: only its own "after"
   * callback stops us, not that of a nested class or of each test of a class-wide fixture.
   */
  private String startedBy;

  /** A fixture that is not running yet; {@link #start()} or JUnit starts it. */
  public EtcdFixture() {}

  /** Starts a fresh etcd and returns it, healthy. */
  public static EtcdFixture started() {
    EtcdFixture etcd = new EtcdFixture();
    etcd.start();
    return etcd;
  }

  /**
   * Starts etcd on new free ports and a new data directory and waits until it reports healthy.
   * Does nothing if already running.
   */
  public void start() {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("etcd fixture is closed");
      }
      if (root != null) {
        if (process == null || !process.isAlive()) {
          launchAndAwaitHealthy();
        }
        return;
      }
      Path binary = ExternalProgram.require("etcd", BINARY_PROPERTY, Path.of("/usr/bin/etcd"));
      root = Files.createTempDirectory("wharf-etcd-");
      IllegalStateException last = null;
      for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
        List<Integer> ports = LoopbackPorts.free(2);
        clientPort = ports.get(0);
        peerPort = ports.get(1);
        try {
          launch(binary);
          awaitHealthy();
          return;
        } catch (IllegalStateException e) {
          last = e;
          destroy(true);
          deleteTree(dataDir());
          if (!logTail().contains("address already in use")) {
            break;
          }
        }
      }
      throw last;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create etcd temp dir", e);
    } finally {
      lock.unlock();
    }
  }

  /** The client URL, e.g. {@code http://127.0.0.1:40123}. */
  public String endpoint() {
    return "http://127.0.0.1:" + clientPort();
  }

  public URI endpointUri() {
    return URI.create(endpoint());
  }

  public int clientPort() {
    requireStarted();
    return clientPort;
  }

  public int peerPort() {
    requireStarted();
    return peerPort;
  }

  public Path dataDir() {
    return root.resolve("data");
  }

  public boolean isRunning() {
    lock.lock();
    try {
      return process != null && process.isAlive();
    } finally {
      lock.unlock();
    }
  }

  /** Kills etcd with SIGKILL (as a crash would) and waits until the process is gone. */
  public void kill() {
    lock.lock();
    try {
      requireStarted();
      destroy(true);
    } finally {
      lock.unlock();
    }
  }

  /** Stops etcd with SIGTERM, waiting for it to exit (SIGKILL after a grace period). */
  public void stop() {
    lock.lock();
    try {
      requireStarted();
      destroy(false);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Starts etcd again on the same ports and data directory (killing it first if it is still
   * running) and waits until it is healthy; committed data survives.
   */
  public void restart() {
    lock.lock();
    try {
      requireStarted();
      destroy(true);
      launchAndAwaitHealthy();
    } finally {
      lock.unlock();
    }
  }

  /** The last lines etcd wrote to its log, for failure messages. */
  public String logTail() {
    if (root == null) {
      return "";
    }
    try {
      List<String> lines = Files.readAllLines(root.resolve("etcd.log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no etcd log: " + e.getMessage() + ")";
    }
  }

  /** Stops etcd and deletes its data. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      destroy(false);
      if (root != null) {
        deleteTree(root);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    startFor(context.getUniqueId());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stopFor(context.getUniqueId());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    startFor(context.getUniqueId());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    stopFor(context.getUniqueId());
  }

  @Override
  public String toString() {
    return root == null ? "etcd (not started)" : "etcd at http://127.0.0.1:" + clientPort + " data " + dataDir();
  }

  private void startFor(String contextId) {
    lock.lock();
    try {
      if (startedBy == null) {
        startedBy = contextId;
        start();
      }
    } finally {
      lock.unlock();
    }
  }

  private void stopFor(String contextId) {
    lock.lock();
    try {
      if (contextId.equals(startedBy)) {
        close();
      }
    } finally {
      lock.unlock();
    }
  }

  private void requireStarted() {
    if (root == null) {
      throw new IllegalStateException("etcd fixture not started");
    }
    if (closed) {
      throw new IllegalStateException("etcd fixture is closed");
    }
  }

  private void launchAndAwaitHealthy() {
    launch(ExternalProgram.require("etcd", BINARY_PROPERTY, Path.of("/usr/bin/etcd")));
    awaitHealthy();
  }

  private void launch(Path binary) {
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    List<String> command = new ArrayList<>(List.of(
        binary.toString(),
        "--name", "wharf-test",
        "--data-dir", dataDir().toString(),
        "--listen-client-urls", client,
        "--advertise-client-urls", client,
        "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "wharf-test=" + peer,
        "--initial-cluster-state", "new",
        "--initial-cluster-token", "wharf-test-" + clientPort,
        "--max-txn-ops", Integer.toString(MAX_TXN_OPS),
        "--max-request-bytes", Integer.toString(MAX_REQUEST_BYTES),
        "--logger", "zap",
        "--log-level", "warn"));
    try {
      process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("etcd.log").toFile()))
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
    }
    if (shutdownHook == null) {
      shutdownHook = new Thread(this::killQuietly, "etcd-fixture-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  private void awaitHealthy() {
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + clientPort + "/health"))
        .timeout(Duration.ofSeconds(1)).GET().build();
    long deadline = System.nanoTime() + HEALTHY_WITHIN.toNanos();
    String lastAnswer = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("etcd exited with status " + process.exitValue()
            + " before becoming healthy; log:\n" + logTail());
      }
      try {
        HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
        lastAnswer = response.statusCode() + " " + response.body();
        if (response.statusCode() == 200 && response.body().contains("\"true\"")) {
          return;
        }
      } catch (IOException e) {
        lastAnswer = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for etcd to become healthy", e);
      }
      // Poll interval of a bounded wait; the deadline above is what bounds it.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25));
    }
    throw new IllegalStateException("etcd at 127.0.0.1:" + clientPort + " not healthy within " + HEALTHY_WITHIN
        + " (last answer: " + lastAnswer + "); log:\n" + logTail());
  }

  private void destroy(boolean forcibly) {
    Process p = process;
    if (p == null) {
      return;
    }
    try {
      if (forcibly) {
        p.destroyForcibly();
      } else {
        p.destroy();
        if (!p.waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
        }
      }
      p.waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    if (shutdownHook != null && closed) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException ignored) {
        // the JVM is already shutting down; the hook runs anyway
      }
      shutdownHook = null;
    }
  }

  private void killQuietly() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
    }
  }

  /** Deletes a data directory and everything in it (also used by {@link EtcdClusterFixture}). */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
