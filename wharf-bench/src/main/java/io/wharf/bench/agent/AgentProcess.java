package io.wharf.bench.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code wharf agent} in its own JVM, on this JVM's classpath, so its CPU time and RSS are its own.
 * Closing stops it (SIGTERM, then SIGKILL); its containers stay, as for any agent stop.
 *
 * <p>Thread safety: use from one thread.
 */
record AgentProcess(Process process, Path log, String drivers) implements AutoCloseable {
    /** @param startParallelism the agent's bound on task starts at once (AgentSettings.startParallelism) */
    static AgentProcess start(URI server, String dockerHost, Path dataDir, Duration timeout, int startParallelism)
            throws IOException {
        Files.createDirectories(dataDir);
        Path log = dataDir.resolve("agent.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Dwharf.agent.startParallelism=" + startParallelism,
                "-cp", System.getProperty("java.class.path"), "io.wharf.cli.Main", "agent", "--server", server.toString(), "--name", "bench-node",
                "--address", "127.0.0.1", "--port", "0", "--data-dir", dataDir.toString(), "--docker-host", dockerHost)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put(io.wharf.testkit.auth.TestTokens.TOKEN_VARIABLE, io.wharf.testkit.auth.TestTokens.ADMIN);
        Process p = builder.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String out = Files.readString(log);
            int i = out.indexOf("Drivers: ");
            if (i >= 0 && out.indexOf('\n', i) > 0) {
                return new AgentProcess(p, log, out.substring(i + 9, out.indexOf('\n', i)).trim());
            }
            if (!p.isAlive()) throw new IllegalStateException("wharf agent exited " + p.exitValue() + ":\n" + out);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        p.destroyForcibly();
        throw new IllegalStateException("wharf agent not up within " + timeout + ":\n" + Files.readString(log));
    }

    long pid() { return process.pid(); }

    /** utime + stime of the process, in clock ticks (USER_HZ = 100 on Linux). */
    long cpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long rssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
