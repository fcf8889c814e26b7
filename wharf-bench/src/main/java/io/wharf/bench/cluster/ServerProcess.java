package io.wharf.bench.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code wharf server} (embedded store) in its own JVM on this JVM's classpath, so its memory and
 * CPU are measured apart from the fleet's. Closing stops it (SIGTERM, then SIGKILL).
 *
 * <p>Thread safety: use from one thread.
 */
record ServerProcess(Process process, Path log, URI api) implements AutoCloseable {

  /** Starts the server with {@code jvmOptions} (heap size, JFR) and waits for its API address. */
  static ServerProcess start(Path dataDir, List<String> jvmOptions, Duration timeout) throws IOException {
    Files.createDirectories(dataDir);
    Path log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.wharf.cli.Main", "server",
        "--data-dir", dataDir.toString(), "--port", "0", "--bind", "127.0.0.1", "--insecure-http"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put(io.wharf.testkit.auth.TestTokens.BOOTSTRAP_VARIABLE, io.wharf.testkit.auth.TestTokens.ADMIN);
    Process p = builder.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String out = Files.readString(log);
      int i = out.indexOf("API: ");
      if (i >= 0 && out.indexOf('\n', i) > 0) {
        return new ServerProcess(p, log, URI.create(out.substring(i + 5, out.indexOf('\n', i)).trim()));
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("wharf server exited " + p.exitValue() + ":\n" + out);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    p.destroyForcibly();
    throw new IllegalStateException("wharf server not up within " + timeout + ":\n" + Files.readString(log));
  }

  long pid() {
    return process.pid();
  }

  /** Resident set size now, in MiB. */
  double rssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** utime + stime in seconds. */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Live heap after a full GC, in MiB ({@code jcmd GC.run}, then the "used" of {@code
   * GC.heap_info}); -1 when jcmd is not there.
   */
  double liveHeapMiB() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return -1;
    }
    run(jcmd.toString(), Long.toString(pid()), "GC.run");
    String info = run(jcmd.toString(), Long.toString(pid()), "GC.heap_info");
    // G1: " garbage-first heap   total 1048576K, used 123456K [..."
    var m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
    return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : -1;
  }

  /** Runs a jcmd diagnostic command on the server ({@code JFR.dump filename=...}) and returns its output. */
  String jcmd(String... args) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    List<String> command = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid())));
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
  }

  private static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
