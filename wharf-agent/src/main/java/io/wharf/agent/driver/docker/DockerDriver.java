package io.wharf.agent.driver.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Statistics;
import io.wharf.agent.driver.Driver;
import io.wharf.agent.driver.DriverSettings;
import io.wharf.agent.driver.ExecResult;
import io.wharf.agent.driver.ExitResult;
import io.wharf.agent.driver.Fingerprint;
import io.wharf.agent.driver.GracefulStop;
import io.wharf.agent.driver.PortAvailability;
import io.wharf.agent.driver.StartResult;
import io.wharf.agent.driver.TaskConfig;
import io.wharf.agent.driver.TaskHandle;
import io.wharf.agent.driver.TaskId;
import io.wharf.agent.driver.TaskStats;
import io.wharf.agent.logs.TaskLogStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs tasks as Docker containers. A container is named {@code wharf-<instance>-<task>-<millis>}
 * and labelled with its instance and task, so {@link #recover} finds it even from a handle whose
 * container id is stale. Images must already be on the node (the agent does not pull: no
 * registry is assumed reachable), so an unknown image is a rejected start.
 *
 * <p>Bridge networking publishes ports on the binding's host IP; with host networking the
 * task binds its ports itself and the driver checks beforehand that they are free.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class DockerDriver implements Driver {
    static final String CONTAINER = "containerId";
    static final String STOP_SIGNAL = "stopSignal";
    /** Containers whose logs one driver can follow at once (one connection each). */
    private static final int MAX_FOLLOWED = 4096;

    private final DockerConnection connection;
    private final TaskLogStore logs;
    private final InstantSource clock;
    private final DockerClient client;
    /** Log follows only: each holds a pooled connection as long as its container runs, so they must not starve requests. */
    private final DockerClient streams;
    private final ContainerExits exits;
    private final ContainerLogs containerLogs;
    /**
     * Images found present, and when: a start within {@link #IMAGE_SEEN_FOR} skips the inspect
     * round trip (fifty replicas of one image need one). An image removed meanwhile makes the
     * create answer 404, which is the same "unknown image" rejection.
     */
    private final Map<String, Instant> imagesSeen = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Duration IMAGE_SEEN_FOR = Duration.ofSeconds(30);

    public DockerDriver(DockerConnection connection, TaskLogStore logs, InstantSource clock) {
        this.connection = connection;
        this.logs = logs;
        this.clock = clock;
        this.client = connection.open();
        this.exits = new ContainerExits(client, clock);
        this.streams = connection.open(MAX_FOLLOWED);
        this.containerLogs = new ContainerLogs(streams);
    }

    @Override public String name() { return "docker"; }

    @Override
    public Fingerprint fingerprint() {
        try {
            client.pingCmd().exec();
            var v = client.versionCmd().exec();
            return Fingerprint.available(name(), Map.of("version", v.getVersion(), "apiVersion", v.getApiVersion(),
                    "clientApiVersion", connection.apiVersion(), "host", connection.host(),
                    "bridgeNetwork", Boolean.toString(bridgeAvailable())));
        } catch (RuntimeException e) {
            return Fingerprint.unavailable(name(), "Docker Engine at " + connection.host() + " not reachable: " + e.getMessage());
        }
    }

    @Override
    public StartResult start(TaskConfig config) {
        if (!(config.settings() instanceof DriverSettings.Docker d)) {
            return new StartResult.Rejected("docker driver cannot run " + config.settings().driver() + " tasks");
        }
        Optional<String> problem = ContainerSpecs.problem(config, d);
        if (problem.isPresent()) return new StartResult.Rejected(problem.get());
        if (!d.hostNetwork() && !config.ports().isEmpty() && !bridgeAvailable()) {
            return new StartResult.Rejected("port " + config.ports().getFirst().name() + " needs bridge networking, which this"
                    + " node's Docker Engine does not have; use host networking");
        }
        Optional<String> taken = PortAvailability.firstTaken(config.ports());
        if (taken.isPresent()) return new StartResult.Rejected(taken.get());
        if (!imageSeenRecently(d.image())) {
            try {
                client.inspectImageCmd(d.image()).exec();
                imagesSeen.put(d.image(), clock.instant());
            } catch (NotFoundException e) {
                return new StartResult.Rejected(unknownImage(d.image()));
            } catch (RuntimeException e) {
                return new StartResult.Failed("cannot inspect image " + d.image() + ": " + e.getMessage());
            }
        }
        Instant now = clock.instant();
        String name = "wharf-" + config.id().instance() + "-" + config.id().task() + "-" + now.toEpochMilli();
        String id;
        try {
            id = ContainerSpecs.create(client, config, d, name).exec().getId();
        } catch (NotFoundException e) {
            imagesSeen.remove(d.image()); // removed since it was seen
            return new StartResult.Rejected(unknownImage(d.image()));
        } catch (DockerException e) {
            return e.getHttpStatus() == 400
                    ? new StartResult.Rejected("docker refused the container: " + message(e))
                    : new StartResult.Failed("cannot create container: " + message(e));
        }
        try {
            client.startContainerCmd(id).exec();
        } catch (DockerException e) {
            removeQuietly(id);
            String why = message(e);
            // A start that fails on the container's own configuration fails the same way every time.
            boolean config_ = e.getHttpStatus() == 400 || why.startsWith("command not found in the image")
                    || why.contains("no such file or directory") || why.contains("address already in use");
            return config_ ? new StartResult.Rejected("container did not start: " + why)
                    : new StartResult.Failed("container did not start: " + why);
        }
        var handle = new TaskHandle(name(), config.id(), now, Map.of(CONTAINER, id, STOP_SIGNAL, config.stopSignal()));
        containerLogs.follow(id, config.id(), logs.files(config.id()), null);
        exits.watch(id);
        return new StartResult.Started(handle);
    }

    private boolean imageSeenRecently(String image) {
        Instant seen = imagesSeen.get(image);
        return seen != null && seen.plus(IMAGE_SEEN_FOR).isAfter(clock.instant());
    }

    private static String unknownImage(String image) {
        return "unknown image " + image + ": not present on this node";
    }

    @Override
    public Optional<TaskHandle> recover(TaskHandle handle) {
        Optional<String> running = runningContainer(handle);
        if (running.isEmpty()) return Optional.empty();
        String id = running.get();
        TaskHandle current = id.equals(handle.attribute(CONTAINER)) ? handle
                : new TaskHandle(name(), handle.task(), handle.startedAt(), Map.of(CONTAINER, id,
                        STOP_SIGNAL, handle.attributes().getOrDefault(STOP_SIGNAL, "TERM")));
        exits.watch(id);
        containerLogs.follow(id, handle.task(), logs.files(handle.task()), clock.instant());
        return Optional.of(current);
    }

    /** The running container of the handle's task: its own id, else one found by labels. */
    private Optional<String> runningContainer(TaskHandle handle) {
        try {
            var s = client.inspectContainerCmd(handle.attribute(CONTAINER)).exec().getState();
            if (Boolean.TRUE.equals(s.getRunning())) return Optional.of(handle.attribute(CONTAINER));
        } catch (NotFoundException e) {
            // look it up by labels below
        }
        return byLabels(handle.task()).stream().filter(c -> "running".equals(c.getState()))
                .max(Comparator.comparing(Container::getCreated)).map(Container::getId);
    }

    /** Every container (running or not) of {@code task} on this daemon. */
    public List<Container> byLabels(TaskId task) {
        return client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ContainerSpecs.LABEL_INSTANCE, task.instance(), ContainerSpecs.LABEL_TASK, task.task()))
                .exec();
    }

    @Override
    public CompletableFuture<ExitResult> wait(TaskHandle handle) {
        return exits.watch(handle.attribute(CONTAINER));
    }

    @Override
    public void stop(TaskHandle handle, Duration grace) {
        String id = handle.attribute(CONTAINER);
        GracefulStop.stop(wait(handle), handle.attributes().getOrDefault(STOP_SIGNAL, "TERM"), grace,
                sig -> kill(id, sig), () -> {});
    }

    @Override
    public void destroy(TaskHandle handle) {
        String id = handle.attribute(CONTAINER);
        if (wait(handle).isDone()) containerLogs.drainAndStop(id); else containerLogs.abandon(id);
        removeQuietly(id);
        exits.forget(id);
    }

    @Override
    public Optional<TaskStats> stats(TaskHandle handle) {
        String id = handle.attribute(CONTAINER);
        var result = new AtomicReference<Statistics>();
        try (var cb = client.statsCmd(id).withNoStream(true).exec(new ResultCallback.Adapter<Statistics>() {
            @Override public void onNext(Statistics s) { result.set(s); }
        })) {
            cb.awaitCompletion(10, TimeUnit.SECONDS);
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        Statistics s = result.get();
        if (s == null || s.getCpuStats() == null || s.getCpuStats().getCpuUsage() == null) return Optional.empty();
        Long cpu = s.getCpuStats().getCpuUsage().getTotalUsage();
        Long mem = s.getMemoryStats() == null ? null : s.getMemoryStats().getUsage();
        Long pids = s.getPidsStats() == null ? null : s.getPidsStats().getCurrent();
        if (cpu == null || cpu == 0 && (mem == null || mem == 0)) return Optional.empty();
        return Optional.of(new TaskStats(cpu, mem == null ? 0 : mem, pids == null ? 0 : pids.intValue()));
    }

    @Override
    public ExecResult exec(TaskHandle handle, List<String> command, Duration timeout) {
        String id = handle.attribute(CONTAINER);
        try {
            String execId = client.execCreateCmd(id).withCmd(command.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).exec().getId();
            var out = new ByteArrayOutputStream();
            var cb = client.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
                @Override public void onNext(Frame f) {
                    out.writeBytes(f.getPayload()); // ByteArrayOutputStream is itself thread safe
                }
            });
            boolean done = cb.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            cb.close();
            String output = out.toString(StandardCharsets.UTF_8);
            if (!done) return new ExecResult(124, output + "\n(timed out after " + timeout + ")");
            Long code = client.inspectExecCmd(execId).exec().getExitCodeLong();
            return new ExecResult(code == null ? -1 : code.intValue(), output);
        } catch (DockerException e) {
            return new ExecResult(126, "exec failed: " + message(e));
        } catch (IOException e) {
            return new ExecResult(126, "exec failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExecResult(130, "interrupted");
        }
    }

    /** Whether the daemon has its default bridge network (it has none when run with {@code --bridge=none}). */
    private boolean bridgeAvailable() {
        return client.listNetworksCmd().withNameFilter("bridge").exec().stream().anyMatch(n -> "bridge".equals(n.getName()));
    }

    /** The container's inspect data, for tests and status pages. */
    public InspectContainerResponse inspect(TaskHandle handle) {
        return client.inspectContainerCmd(handle.attribute(CONTAINER)).exec();
    }

    @Override
    public void close() {
        exits.close();
        containerLogs.close();
        for (DockerClient c : List.of(client, streams)) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private void kill(String id, String signal) {
        try {
            client.killContainerCmd(id).withSignal(signal).exec();
        } catch (NotFoundException e) {
            // gone already
        } catch (DockerException e) {
            // 409: not running any more; the exit future completes from the events stream
            if (e.getHttpStatus() != 409) throw e;
        }
    }

    private void removeQuietly(String id) {
        try {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(false).exec();
        } catch (NotFoundException e) {
            // already removed
        } catch (DockerException e) {
            if (e.getHttpStatus() != 409) throw e; // 409: removal already in progress
        }
    }

    private static final java.util.regex.Pattern EXEC_NOT_FOUND =
            java.util.regex.Pattern.compile("exec: \"([^\"]+)\": executable file not found");

    /** The daemon's own words from an error answer; docker-java prefixes them with "Status 400: {"message":"..."}". */
    static String message(DockerException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        int i = m.indexOf('{');
        if (i >= 0) {
            try {
                var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.substring(i));
                if (node.hasNonNull("message")) m = node.get("message").asText();
            } catch (IOException | RuntimeException notJson) {
                // keep the text as it is
            }
        }
        // runc's long chain ("failed to create shim task: OCI runtime create failed: ...") says one thing here.
        var notFound = EXEC_NOT_FOUND.matcher(m);
        if (notFound.find()) return "command not found in the image: " + notFound.group(1);
        return m.strip();
    }
}
