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
 * {@code wharf agent} as a child JVM on this test's class path, started when it prints its
 * endpoint; {@link #kill()} is SIGKILL of the agent, {@link #killMachine()} also of its workloads.
 */
final class AgentProcess implements AutoCloseable {

  private final String node;
  private final Process process;
  private final StringBuffer output = new StringBuffer();

  /** An agent of one server, with its INFO log (what it adopts) in {@link #output()}. */
  AgentProcess(String server, String node, Path dataDir) {
    this(node, true, List.of("--server", server, "--name", node, "--data-dir", dataDir.toString(), "--port", "0"));
  }

  /** An agent of several servers, bound to and advertising {@code address} (e.g. 127.0.0.2). */
  static AgentProcess ofCluster(String servers, String node, String address, Path dataDir, long heartbeatMillis) {
    return new AgentProcess(node, false, List.of("--server", servers, "--name", node, "--address", address,
        "--bind", address, "--port", "0", "--data-dir", dataDir.toString(), "--heartbeat", Long.toString(heartbeatMillis)));
  }

  /**
   * An agent with exactly these arguments after {@code agent} (e.g. joining with a token), and no
   * API token: it proves who it is with its node certificate only (mutual TLS).
   */
  static AgentProcess withArgs(String node, List<String> agentArgs) {
    return new AgentProcess(node, true, agentArgs, false);
  }

  private AgentProcess(String node, boolean infoLog, List<String> agentArgs) {
    this(node, infoLog, agentArgs, true);
  }

  private AgentProcess(String node, boolean infoLog, List<String> agentArgs, boolean apiToken) {
    this.node = node;
    List<String> command = new ArrayList<>(JavaCommand.of("io.wharf.cli.Main"));
    if (infoLog) {
      command.add(command.size() - 1, "-Dlogback.configurationFile=logback.xml");
    }
    command.add("agent");
    command.addAll(agentArgs);
    try {
      ProcessBuilder builder = JavaCommand.environment(new ProcessBuilder(command));
      if (!apiToken) {
        builder.environment().remove(io.wharf.testkit.auth.TestTokens.TOKEN_VARIABLE);
      }
      process = builder.redirectErrorStream(true)
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

  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
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
        kill();
      }
    }
  }
}
