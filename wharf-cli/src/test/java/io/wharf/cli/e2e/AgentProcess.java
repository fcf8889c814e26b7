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

/** {@code wharf agent} as a child JVM on this test's class path; {@link #kill()} is SIGKILL. */
final class AgentProcess implements AutoCloseable {

  private final Process process;
  private final StringBuffer output = new StringBuffer();

  AgentProcess(String server, String node, Path dataDir) {
    List<String> command = new ArrayList<>(JavaCommand.of("io.wharf.cli.Main"));
    // The agent's own INFO log (what it adopts) is part of what the test reads.
    command.add(command.size() - 1, "-Dlogback.configurationFile=logback.xml");
    command.addAll(List.of("agent", "--server", server, "--name", node, "--data-dir", dataDir.toString(),
        "--port", "0"));
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
      started.completeExceptionally(new IllegalStateException("wharf agent exited:\n" + output));
    });
    started.orTimeout(60, TimeUnit.SECONDS).join();
  }

  String output() {
    return output.toString();
  }

  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

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
