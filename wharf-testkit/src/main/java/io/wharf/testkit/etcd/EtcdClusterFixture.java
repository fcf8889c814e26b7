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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * A real etcd cluster of {@code size} members on free 127.0.0.1 ports, each with its own
 * temporary data directory: the store of a several-server Wharf in tests.
 *
 * <p>{@link #kill(int)} sends SIGKILL to one member (the cluster keeps quorum with one of three
 * gone); {@link #restart(int)} starts it again on its ports and data, and it rejoins.
 * {@link #close()} stops every member and deletes the directories. Use it as a plain
 * {@link AutoCloseable}: {@code try (var etcd = EtcdClusterFixture.started(3)) ...}.
 *
 * <p>When the etcd binary is missing starting fails if {@code wharf.requireExternal=true},
 * else aborts the test as skipped (see {@link ExternalProgram}).
 *
 * <p>Thread safety: all methods may be called from any thread; lifecycle calls are serialized.
 */
public final class EtcdClusterFixture implements AutoCloseable {
  private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(60);

  private final ReentrantLock lock = new ReentrantLock();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final int size;
  private final Path binary;
  private final Path root;
  private final int[] clientPorts;
  private final int[] peerPorts;
  private final Process[] processes;
  private final Thread shutdownHook = new Thread(this::killAllQuietly, "etcd-cluster-fixture-shutdown");
  private boolean closed;

  private EtcdClusterFixture(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1");
    }
    this.size = size;
    this.binary = ExternalProgram.require("etcd", EtcdFixture.BINARY_PROPERTY, Path.of("/usr/bin/etcd"));
    try {
      this.root = Files.createTempDirectory("wharf-etcd-cluster-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create etcd temp dir", e);
    }
    List<Integer> ports = LoopbackPorts.free(2 * size);
    this.clientPorts = new int[size];
    this.peerPorts = new int[size];
    for (int i = 0; i < size; i++) {
      clientPorts[i] = ports.get(2 * i);
      peerPorts[i] = ports.get(2 * i + 1);
    }
    this.processes = new Process[size];
  }

  /** Starts a fresh cluster of {@code size} members and returns it once every member is healthy. */
  public static EtcdClusterFixture started(int size) {
    EtcdClusterFixture cluster = new EtcdClusterFixture(size);
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    try {
      cluster.lock.lock();
      try {
        for (int i = 0; i < size; i++) {
          cluster.launch(i);
        }
        for (int i = 0; i < size; i++) {
          cluster.awaitHealthy(i);
        }
      } finally {
        cluster.lock.unlock();
      }
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  public int size() {
    return size;
  }

  /** Member {@code i}'s client URL, e.g. {@code http://127.0.0.1:40123}. */
  public String endpoint(int i) {
    return "http://127.0.0.1:" + clientPorts[i];
  }

  /** Every member's client URL. */
  public List<String> endpoints() {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      all.add(endpoint(i));
    }
    return all;
  }

  /** {@code host:port,host:port,...}, as {@code wharf server --store etcd://...} takes them. */
  public String hostPorts() {
    return endpoints().stream().map(e -> e.substring("http://".length())).collect(Collectors.joining(","));
  }

  public boolean isRunning(int i) {
    lock.lock();
    try {
      return processes[i] != null && processes[i].isAlive();
    } finally {
      lock.unlock();
    }
  }

  /** SIGKILL of member {@code i}, waiting until the process is gone. */
  public void kill(int i) {
    lock.lock();
    try {
      destroy(i);
    } finally {
      lock.unlock();
    }
  }

  /** Starts member {@code i} again (killing it first if running) on its ports and data; waits until healthy. */
  public void restart(int i) {
    lock.lock();
    try {
      destroy(i);
      launch(i);
      awaitHealthy(i);
    } finally {
      lock.unlock();
    }
  }

  /** The last lines member {@code i} logged, for failure messages. */
  public String logTail(int i) {
    try {
      List<String> lines = Files.readAllLines(root.resolve("etcd-" + i + ".log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return "etcd cluster " + endpoints();
  }

  /** Stops every member and deletes the data. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (int i = 0; i < size; i++) {
        destroy(i);
      }
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException | IllegalArgumentException ignored) {
        // shutting down already, or never registered
      }
      EtcdFixture.deleteTree(root);
    } finally {
      lock.unlock();
    }
  }

  private void launch(int i) {
    if (closed) {
      throw new IllegalStateException("etcd cluster fixture is closed");
    }
    String client = endpoint(i);
    String peer = "http://127.0.0.1:" + peerPorts[i];
    List<String> cluster = new ArrayList<>();
    for (int m = 0; m < size; m++) {
      cluster.add("m" + m + "=http://127.0.0.1:" + peerPorts[m]);
    }
    List<String> command = List.of(
        binary.toString(),
        "--name", "m" + i,
        "--data-dir", root.resolve("data-" + i).toString(),
        "--listen-client-urls", client,
        "--advertise-client-urls", client,
        "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer,
        "--initial-cluster", String.join(",", cluster),
        "--initial-cluster-state", "new",
        "--initial-cluster-token", "wharf-test-cluster-" + clientPorts[0],
        "--max-txn-ops", Integer.toString(EtcdFixture.MAX_TXN_OPS),
        "--max-request-bytes", Integer.toString(EtcdFixture.MAX_REQUEST_BYTES),
        "--logger", "zap",
        "--log-level", "warn");
    try {
      processes[i] = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("etcd-" + i + ".log").toFile()))
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
    }
  }

  private void awaitHealthy(int i) {
    HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint(i) + "/health"))
        .timeout(Duration.ofSeconds(1)).GET().build();
    long deadline = System.nanoTime() + HEALTHY_WITHIN.toNanos();
    String lastAnswer = "no answer";
    while (System.nanoTime() < deadline) {
      Process p = processes[i];
      if (!p.isAlive()) {
        throw new IllegalStateException("etcd member " + i + " exited with status " + p.exitValue()
            + " before becoming healthy; log:\n" + logTail(i));
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
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    throw new IllegalStateException("etcd member " + i + " at " + endpoint(i) + " not healthy within "
        + HEALTHY_WITHIN + " (last answer: " + lastAnswer + "); log:\n" + logTail(i));
  }

  private void destroy(int i) {
    Process p = processes[i];
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void killAllQuietly() {
    for (Process p : processes) {
      if (p != null) {
        p.destroyForcibly();
      }
    }
  }
}
