package io.wharf.cli.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code wharf dev} as a separate JVM on a data directory, started from this test's class
 * path; its address comes from the banner's {@code API:} line. Output is kept for failure
 * messages. {@link #kill()} is SIGKILL (nothing runs in the child), {@link #close()} SIGTERM.
 */
final class DevServerProcess implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final String address;
  private final StringBuffer output = new StringBuffer();

  private DevServerProcess(List<String> args) {
    this(null, args, java.util.Map.of());
  }

  private DevServerProcess(java.nio.file.Path directory, List<String> args) {
    this(directory, args, java.util.Map.of());
  }

  private DevServerProcess(java.nio.file.Path directory, List<String> args, java.util.Map<String, String> env) {
    this(directory, List.of(), args, env);
  }

  /**
   * {@code jvmOptions} go to the child JVM; {@code env} changes the test environment of
   * {@link JavaCommand#environment}: a null value removes the variable.
   */
  private DevServerProcess(java.nio.file.Path directory, List<String> jvmOptions, List<String> args,
      java.util.Map<String, String> env) {
    List<String> command = new ArrayList<>(JavaCommand.of("io.wharf.cli.Main"));
    command.addAll(1, jvmOptions);
    command.addAll(args);
    try {
      ProcessBuilder builder = JavaCommand.environment(new ProcessBuilder(command)).redirectErrorStream(true);
      env.forEach((k, v) -> {
        if (v == null) {
          builder.environment().remove(k);
        } else {
          builder.environment().put(k, v);
        }
      });
      if (directory != null) {
        builder.directory(directory.toFile());
      }
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    closeQuietly(process);
    CompletableFuture<String> api = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          output.append(line).append('\n');
          if (line.startsWith("API: ")) {
            api.complete(line.substring("API: ".length()).strip());
          }
        }
      } catch (IOException e) {
        // the child is gone; the address future below reports it if it never started
      }
      api.completeExceptionally(new IllegalStateException("wharf dev exited before serving"));
    });
    try {
      address = api.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("wharf " + String.join(" ", args) + " did not start: " + e
          + "\n" + output, e);
    }
  }

  private static void closeQuietly(Process process) {
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // stdin of the child is not used
    }
  }

  /** On a free port. */
  static DevServerProcess start(Path dataDir) {
    return start(dataDir, 0);
  }

  /** On {@code port} (to come back where clients expect it after a kill). */
  static DevServerProcess start(Path dataDir, int port) {
    return new DevServerProcess(List.of("dev", "--port", Integer.toString(port), "--data-dir",
        dataDir.toString()));
  }

  /** Any serving command, e.g. {@code server --store etcd ...}; it must print {@code API: URL}. */
  static DevServerProcess command(String... args) {
    return new DevServerProcess(List.of(args));
  }

  /** Any serving command with the test environment changed by {@code env} (a null value removes a variable). */
  static DevServerProcess command(java.util.Map<String, String> env, String... args) {
    return new DevServerProcess(null, List.of(args), env);
  }

  /** Any serving command run in {@code directory} (relative paths of a stack resolve there). */
  static DevServerProcess in(java.nio.file.Path directory, String... args) {
    return new DevServerProcess(directory, List.of(args));
  }

  /** As {@link #in}, with options for the child JVM (e.g. {@code -Dlogback.configurationFile=...}). */
  static DevServerProcess in(java.nio.file.Path directory, List<String> jvmOptions, String... args) {
    return new DevServerProcess(directory, jvmOptions, List.of(args), java.util.Map.of());
  }

  int port() {
    return java.net.URI.create(address).getPort();
  }

  String address() {
    return address;
  }

  /** The child JVM (its descendants are the workloads its agent started). */
  ProcessHandle handle() {
    return process.toHandle();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String output() {
    return output.toString();
  }

  /** SIGKILL and wait: the child gets no chance to flush or close anything. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM and wait for the clean shutdown; returns the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }
}
