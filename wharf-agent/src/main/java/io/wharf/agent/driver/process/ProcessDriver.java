package io.wharf.agent.driver.process;

import io.wharf.agent.driver.Driver;
import io.wharf.agent.driver.DriverSettings;
import io.wharf.agent.driver.ExecResult;
import io.wharf.agent.driver.ExitResult;
import io.wharf.agent.driver.Fingerprint;
import io.wharf.agent.driver.GracefulStop;
import io.wharf.agent.driver.Mount;
import io.wharf.agent.driver.PortAvailability;
import io.wharf.agent.driver.StartResult;
import io.wharf.agent.driver.TaskConfig;
import io.wharf.agent.driver.TaskHandle;
import io.wharf.agent.driver.TaskStats;
import io.wharf.agent.logs.LogStream;
import io.wharf.agent.logs.TaskLogFiles;
import io.wharf.agent.logs.TaskLogStore;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a task as a host process. The program runs under {@code setsid sh -c ...}: the shell is
 * the session and process group leader (its pid is the task's pid and group id), runs the
 * program as its child and writes the program's exit status to a file, so the status is known
 * even when the program ended while no agent was running. The shell traps the usual stop signals
 * only to outlive its child long enough to record the status; the program gets default signal
 * dispositions, also for signals ignored where the agent was started (under {@code nohup}, a
 * program would otherwise inherit an ignored SIGHUP and could not even trap it): it is started
 * through {@code env --default-signal} where that exists (GNU coreutils 8.31 and later).
 *
 * <p>Limits: process tasks get no cgroup here, so {@code cpuMillis} and {@code memoryBytes} are not
 * enforced for them (the java driver turns the memory limit into a heap size).
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class ProcessDriver implements Driver {
    static final String PID = "pid";
    static final String START_TICKS = "startTicks";
    static final String STATE_DIR = "stateDir";
    static final String STOP_SIGNAL = "stopSignal";
    private static final String WRAPPER = "trap : TERM INT HUP QUIT USR1 USR2; \"$@\"; echo $? > \"$0\".tmp && mv \"$0\".tmp \"$0\"";
    /** How often an adopted task (not this JVM's child) is checked for exit; children are waited for directly. */
    private static final long POLL_MILLIS = 100;

    private final TaskLogStore logs;
    private final Path stateRoot;
    private final Path volumeRoot;
    private final InstantSource clock;
    private final String name;
    /** Futures of tasks this driver watches, by pid; children of this JVM complete from {@link Process#onExit}. */
    private final Map<Long, CompletableFuture<ExitResult>> exits = new ConcurrentHashMap<>();
    /** Pids this driver killed with SIGKILL, so an unknown status can be reported as the kill. */
    private final Map<Long, Boolean> killed = new ConcurrentHashMap<>();

    /**
     * @param stateRoot where per-task state (exit status files) lives; must survive agent restarts
     * @param volumeRoot where named volumes of process tasks live
     */
    public ProcessDriver(TaskLogStore logs, Path stateRoot, Path volumeRoot, InstantSource clock) {
        this("process", logs, stateRoot, volumeRoot, clock);
    }

    /** For drivers built on this one (java), which report under their own name. */
    public ProcessDriver(String name, TaskLogStore logs, Path stateRoot, Path volumeRoot, InstantSource clock) {
        this.name = name;
        this.logs = logs;
        this.stateRoot = stateRoot;
        this.volumeRoot = volumeRoot;
        this.clock = clock;
    }

    @Override public String name() { return name; }

    @Override
    public Fingerprint fingerprint() {
        if (!Files.isDirectory(Path.of("/proc/self"))) return Fingerprint.unavailable(name, "no /proc (not Linux)");
        Optional<Path> setsid = which("setsid");
        if (setsid.isEmpty()) return Fingerprint.unavailable(name, "setsid not found on PATH (util-linux)");
        Optional<Path> sh = which("sh");
        if (sh.isEmpty()) return Fingerprint.unavailable(name, "sh not found on PATH");
        return Fingerprint.available(name, Map.of("setsid", setsid.get().toString(), "sh", sh.get().toString()));
    }

    @Override
    public StartResult start(TaskConfig config) {
        if (!(config.settings() instanceof DriverSettings.Process settings)) {
            return new StartResult.Rejected(name + " driver cannot run " + config.settings().driver() + " tasks");
        }
        if (settings.command().isEmpty() || settings.command().getFirst().isBlank()) {
            return new StartResult.Rejected("missing command: a " + name + " task needs a command");
        }
        String program = settings.command().getFirst();
        Path workDir = settings.workingDir() == null ? null : Path.of(settings.workingDir());
        if (workDir != null && !Files.isDirectory(workDir)) {
            return new StartResult.Rejected("working directory does not exist: " + workDir);
        }
        // A path is taken relative to the task's working directory, a bare name is looked up on PATH.
        Optional<Path> resolved = program.contains("/")
                ? Optional.of(workDir == null ? Path.of(program) : workDir.resolve(program)).filter(Files::isExecutable)
                : which(program);
        if (resolved.isEmpty()) return new StartResult.Rejected("command not found: " + program);
        Optional<String> taken = PortAvailability.firstTaken(config.ports());
        if (taken.isPresent()) return new StartResult.Rejected(taken.get());

        Map<String, String> env = new HashMap<>();
        for (String keep : List.of("PATH", "HOME", "LANG", "TZ")) {
            String v = System.getenv(keep);
            if (v != null) env.put(keep, v);
        }
        for (Mount m : config.mounts()) {
            Path dir = m.kind() == Mount.Kind.NAMED ? volumeRoot.resolve(m.source()) : Path.of(m.source());
            if (m.kind() == Mount.Kind.HOST_PATH && !Files.isDirectory(dir)) {
                return new StartResult.Rejected("host path of volume " + m.target() + " does not exist: " + dir);
            }
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                return new StartResult.Failed("cannot create volume directory " + dir + ": " + e.getMessage());
            }
            env.put(m.envName(), dir.toString());
        }
        env.putAll(config.effectiveEnv());

        Path stateDir = stateRoot.resolve(config.id().instance()).resolve(config.id().task());
        Path exitFile = stateDir.resolve("exit");
        TaskLogFiles logFiles = logs.files(config.id());
        var command = new ArrayList<String>(List.of(which("setsid").orElseThrow().toString(), "sh", "-c", WRAPPER,
                exitFile.toString()));
        command.addAll(DefaultSignals.PREFIX);
        command.add(resolved.get().toString());
        command.addAll(settings.command().subList(1, settings.command().size()));
        Process process;
        try {
            Files.createDirectories(stateDir);
            Files.deleteIfExists(exitFile);
            var pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFiles.current(LogStream.STDOUT).toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(logFiles.current(LogStream.STDERR).toFile()));
            if (workDir != null) pb.directory(workDir.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            process = pb.start();
        } catch (IOException e) {
            return new StartResult.Failed("cannot start " + program + ": " + e.getMessage());
        }
        long pid = process.pid();
        // The kernel start time is read from /proc; a process that already exited has none.
        long startTicks = ProcStat.read(pid).map(ProcStat::startTicks).orElse(-1L);
        var handle = new TaskHandle(name, config.id(), clock.instant(),
                Map.of(PID, Long.toString(pid), START_TICKS, Long.toString(startTicks), STATE_DIR, stateDir.toString(),
                        STOP_SIGNAL, config.stopSignal()));
        CompletableFuture<ExitResult> exit = process.onExit().thenApply(p -> exitOf(handle, p.exitValue()));
        exits.put(pid, exit);
        return new StartResult.Started(handle);
    }

    @Override
    public Optional<TaskHandle> recover(TaskHandle handle) {
        if (!running(handle)) return Optional.empty();
        exits.computeIfAbsent(pid(handle), p -> pollExit(handle));
        return Optional.of(handle);
    }

    @Override
    public CompletableFuture<ExitResult> wait(TaskHandle handle) {
        return exits.computeIfAbsent(pid(handle), p -> pollExit(handle));
    }

    @Override
    public void stop(TaskHandle handle, Duration grace) {
        GracefulStop.stop(wait(handle), handle.attributes().getOrDefault(STOP_SIGNAL, "TERM"), grace,
                sig -> signalGroup(handle, sig), () -> killed.put(pid(handle), true));
    }

    @Override
    public void destroy(TaskHandle handle) {
        if (running(handle)) {
            killed.put(pid(handle), true);
            signalGroup(handle, "KILL");
            wait(handle).join();
        }
        exits.remove(pid(handle));
        killed.remove(pid(handle));
        Path stateDir = Path.of(handle.attribute(STATE_DIR));
        try {
            Files.deleteIfExists(stateDir.resolve("exit"));
            Files.deleteIfExists(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + stateDir, e);
        }
    }

    @Override
    public Optional<TaskStats> stats(TaskHandle handle) {
        if (!running(handle)) return Optional.empty();
        List<ProcStat> group = ProcStat.group(pid(handle));
        long cpu = 0;
        long rss = 0;
        for (ProcStat s : group) {
            cpu += (s.utimeTicks() + s.stimeTicks()) * ProcStat.TICK_NANOS;
            rss += s.rssPages() * ProcStat.PAGE_BYTES;
        }
        return Optional.of(new TaskStats(cpu, rss, group.size()));
    }

    @Override
    public ExecResult exec(TaskHandle handle, List<String> command, Duration timeout) {
        if (command.isEmpty()) throw new IllegalArgumentException("empty command");
        Map<String, String> env = environmentOf(pid(handle));
        String cwd = null;
        try {
            cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid(handle)), "cwd")).toString();
        } catch (IOException e) {
            // not running any more or not readable: run in the agent's directory
        }
        try {
            var pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (cwd != null) pb.directory(new File(cwd));
            if (!env.isEmpty()) {
                pb.environment().clear();
                pb.environment().putAll(env);
            }
            Process p = pb.start();
            var output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            }, r -> Thread.ofVirtual().start(r));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                return new ExecResult(124, output.getNow("") + "\n(timed out after " + timeout + ")");
            }
            return new ExecResult(p.exitValue(), output.join());
        } catch (IOException e) {
            return new ExecResult(127, "cannot run " + command.getFirst() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExecResult(130, "interrupted");
        }
    }

    @Override
    public void close() {
        // Nothing to release: tasks keep running, watchers are virtual threads that end with them.
    }

    /** True while the handle's process exists and is the very process that was started. */
    public boolean running(TaskHandle handle) {
        long ticks = Long.parseLong(handle.attribute(START_TICKS));
        return ProcStat.read(pid(handle)).filter(ProcStat::alive).filter(s -> s.startTicks() == ticks).isPresent();
    }

    private static long pid(TaskHandle handle) { return Long.parseLong(handle.attribute(PID)); }

    private CompletableFuture<ExitResult> pollExit(TaskHandle handle) {
        var future = new CompletableFuture<ExitResult>();
        Thread.ofVirtual().name("process-exit-" + handle.task()).start(() -> {
            while (running(handle)) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
            future.complete(exitOf(handle, -1));
        });
        return future;
    }

    /** The status the wrapper recorded; else the wrapper's own ({@code fallback}, -1 if unknown). */
    private ExitResult exitOf(TaskHandle handle, int fallback) {
        int code = fallback;
        Path exitFile = Path.of(handle.attribute(STATE_DIR)).resolve("exit");
        try {
            if (Files.exists(exitFile)) code = Integer.parseInt(Files.readString(exitFile).trim());
        } catch (IOException | NumberFormatException e) {
            // keep the fallback
        }
        if (code < 0 && killed.containsKey(pid(handle))) code = 128 + 9;
        return ExitResult.of(code, clock.instant());
    }

    private static void signalGroup(TaskHandle handle, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, "--", "-" + pid(handle))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send " + signal + " to task " + handle.task(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> environmentOf(long pid) {
        var env = new HashMap<String, String>();
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
            for (String kv : new String(raw, StandardCharsets.UTF_8).split("\0")) {
                int eq = kv.indexOf('=');
                if (eq > 0) env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        } catch (IOException e) {
            // process gone: exec runs with the agent's environment
        }
        return env;
    }

    /** {@code env --default-signal} when this machine's env has it (probed once), else nothing. */
    private static final class DefaultSignals {
        static final List<String> PREFIX = probe();

        private static List<String> probe() {
            Optional<Path> env = which("env");
            if (env.isEmpty()) return List.of();
            try {
                Process p = new ProcessBuilder(env.get().toString(), "--default-signal", "true")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return List.of(env.get().toString(), "--default-signal");
                }
                p.destroyForcibly();
            } catch (IOException e) {
                return List.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }
    }

    static Optional<Path> which(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) return Optional.of(p);
        }
        return Optional.empty();
    }
}
