package io.wharf.cli.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code wharf agent} of one node of a test cluster, as a child JVM: bound to and advertising its
 * own loopback address (127.0.0.2, ...), talking to several servers. {@link #killMachine()}
 * is what losing the machine looks like: SIGKILL of the agent and of every process it started.
 */
final class ClusterAgent implements AutoCloseable {

  private final String node;
  private final Process process;
  private final StringBuffer output = new StringBuffer();

  ClusterAgent(String servers, String node, String address, Path dataDir, long heartbeatMillis) {
    this.node = node;
    List<String> command = new ArrayList<>(JavaCommand.of("io.wharf.cli.Main"));
    command.addAll(List.of("agent", "--server", servers, "--name", node, "--address", address, "--bind", address,
        "--port", "0", "--data-dir", dataDir.toString(), "--heartbeat", Long.toString(heartbeatMillis)));
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var started = new CompletableFuture<Void>();
    Thread.ofVirtual().start(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          output.append(line).append('\n');
          if (line.startsWith("Endpoint: ")) {
            started.complete(null);
          }
        }
      } catch (IOException e) {
        // the agent is gone
      }
      started.completeExceptionally(new IllegalStateException("wharf agent " + node + " exited:\n" + output));
    });
    started.orTimeout(90, TimeUnit.SECONDS).join();
  }

  String node() {
    return node;
  }

  String output() {
    return output.toString();
  }

  /** SIGKILL of the agent and of the workloads it started, as when the machine dies. */
  void killMachine() throws InterruptedException {
    List<ProcessHandle> children = process.toHandle().descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Stops the agent; its workloads (which outlive agents by design) are the test's to kill. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
