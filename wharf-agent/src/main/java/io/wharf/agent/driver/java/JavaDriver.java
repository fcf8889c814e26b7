package io.wharf.agent.driver.java;

import io.wharf.agent.driver.Driver;
import io.wharf.agent.driver.DriverSettings;
import io.wharf.agent.driver.ExecResult;
import io.wharf.agent.driver.ExitResult;
import io.wharf.agent.driver.Fingerprint;
import io.wharf.agent.driver.StartResult;
import io.wharf.agent.driver.TaskConfig;
import io.wharf.agent.driver.TaskHandle;
import io.wharf.agent.driver.TaskStats;
import io.wharf.agent.driver.process.ProcessDriver;
import io.wharf.agent.logs.TaskLogStore;
import java.time.InstantSource;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a jar ({@code java -jar}) or a main class on a classpath. The heap is {@code heapPercent}
 * of the task's memory limit ({@code -Xmx}, unless the task's JVM options set one); a limit below
 * {@code minimumMemory} is refused, since such a JVM would only crash. The JVM is the agent's
 * own ({@code java.home}) unless the task names another {@code javaHome}.
 *
 * <p>Thread safety: as {@link ProcessDriver}, which does the running (state and logs live where
 * the process driver's do, so both may share directories).
 */
public final class JavaDriver implements Driver {
    public static final long DEFAULT_MINIMUM_MEMORY = 32L << 20;
    public static final int DEFAULT_HEAP_PERCENT = 75;

    private final ProcessDriver processes;
    private final long minimumMemory;
    private final int heapPercent;

    /** Arguments as for {@link ProcessDriver}; JVMs get {@code heapPercent} of their memory limit as heap. */
    public JavaDriver(TaskLogStore logs, Path stateRoot, Path volumeRoot, InstantSource clock, long minimumMemory,
                      int heapPercent) {
        if (heapPercent < 1 || heapPercent > 100) throw new IllegalArgumentException("heapPercent must be in 1..100");
        this.processes = new ProcessDriver("java", logs, stateRoot, volumeRoot, clock);
        this.minimumMemory = minimumMemory;
        this.heapPercent = heapPercent;
    }

    public JavaDriver(TaskLogStore logs, Path stateRoot, Path volumeRoot, InstantSource clock) {
        this(logs, stateRoot, volumeRoot, clock, DEFAULT_MINIMUM_MEMORY, DEFAULT_HEAP_PERCENT);
    }

    @Override public String name() { return "java"; }

    @Override
    public Fingerprint fingerprint() {
        Fingerprint base = processes.fingerprint();
        if (!base.available()) return Fingerprint.unavailable(name(), base.reason());
        var attrs = new HashMap<>(base.attributes());
        attrs.put("javaHome", System.getProperty("java.home"));
        attrs.put("version", Runtime.version().toString());
        return Fingerprint.available(name(), attrs);
    }

    @Override
    public StartResult start(TaskConfig config) {
        if (!(config.settings() instanceof DriverSettings.Java j)) {
            return new StartResult.Rejected("java driver cannot run " + config.settings().driver() + " tasks");
        }
        Optional<String> problem = problem(config, j);
        if (problem.isPresent()) return new StartResult.Rejected(problem.get());
        var command = commandLine(config, j);
        return processes.start(config.withSettings(new DriverSettings.Process(command, j.workingDir())));
    }

    private Optional<String> problem(TaskConfig config, DriverSettings.Java j) {
        boolean hasJar = j.jar() != null && !j.jar().isBlank();
        boolean hasMain = j.mainClass() != null && !j.mainClass().isBlank();
        if (hasJar == hasMain) return Optional.of("a java task needs exactly one of jar and mainClass");
        if (hasJar) {
            Path jar = j.workingDir() == null ? Path.of(j.jar()) : Path.of(j.workingDir()).resolve(j.jar());
            if (!Files.isRegularFile(jar)) return Optional.of("jar not found: " + jar);
        }
        if (config.memoryBytes() > 0 && config.memoryBytes() < minimumMemory) {
            return Optional.of("memory limit " + mib(config.memoryBytes()) + " is below the java driver's minimum of "
                    + mib(minimumMemory));
        }
        Path java = javaBinary(j);
        if (!Files.isExecutable(java)) return Optional.of("java not found: " + java);
        return Optional.empty();
    }

    /** The command line: java, JVM options (heap first so the task's own options win), then jar or main class, then args. */
    List<String> commandLine(TaskConfig config, DriverSettings.Java j) {
        var command = new ArrayList<String>();
        command.add(javaBinary(j).toString());
        boolean ownHeap = j.jvmOptions().stream().anyMatch(o -> o.startsWith("-Xmx") || o.startsWith("-XX:MaxRAMPercentage"));
        if (config.memoryBytes() > 0 && !ownHeap) {
            command.add("-Xmx" + Math.max(1, config.memoryBytes() * heapPercent / 100 / (1L << 20)) + "m");
        }
        command.addAll(j.jvmOptions());
        if (j.jar() != null && !j.jar().isBlank()) {
            command.add("-jar");
            command.add(j.jar());
        } else {
            if (!j.classpath().isEmpty()) {
                command.add("-cp");
                command.add(String.join(File.pathSeparator, j.classpath()));
            }
            command.add(j.mainClass());
        }
        command.addAll(j.args());
        return command;
    }

    private static Path javaBinary(DriverSettings.Java j) {
        String home = j.javaHome() == null || j.javaHome().isBlank() ? System.getProperty("java.home") : j.javaHome();
        return Path.of(home, "bin", "java");
    }

    private static String mib(long bytes) {
        return bytes % (1L << 20) == 0 ? (bytes >> 20) + "Mi" : bytes + " bytes";
    }

    @Override public Optional<TaskHandle> recover(TaskHandle handle) { return processes.recover(handle); }

    @Override public CompletableFuture<ExitResult> wait(TaskHandle handle) { return processes.wait(handle); }

    @Override public void stop(TaskHandle handle, Duration grace) { processes.stop(handle, grace); }

    @Override public void destroy(TaskHandle handle) { processes.destroy(handle); }

    @Override public Optional<TaskStats> stats(TaskHandle handle) { return processes.stats(handle); }

    @Override public ExecResult exec(TaskHandle handle, List<String> command, Duration timeout) {
        return processes.exec(handle, command, timeout);
    }

    @Override public void close() { processes.close(); }
}
