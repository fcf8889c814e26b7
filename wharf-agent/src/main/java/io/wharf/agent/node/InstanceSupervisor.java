package io.wharf.agent.node;

import io.wharf.agent.config.TaskInputs;
import io.wharf.agent.driver.Driver;
import io.wharf.agent.driver.ExecResult;
import io.wharf.agent.driver.PortAvailability;
import io.wharf.agent.driver.PortBinding;
import io.wharf.agent.driver.TaskHandle;
import io.wharf.agent.driver.TaskId;
import io.wharf.agent.runtime.InstanceRunner;
import io.wharf.agent.runtime.TaskPlan;
import io.wharf.agent.runtime.TaskPlans;
import io.wharf.agent.runtime.TaskRunner;
import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.cluster.InstanceState;
import io.wharf.model.cluster.InstanceStatus;
import io.wharf.model.task.PortSpec;
import io.wharf.model.task.RestartPolicy;
import io.wharf.model.task.TaskLifecycle;
import io.wharf.model.task.TaskSpec;
import io.wharf.agent.metrics.AgentMetrics;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converges what runs on this node to the instances placed on it: starts an
 * {@link InstanceRunner} for each new instance, stops (gracefully: main, sidecars, poststop)
 * the runner of an instance that was deleted or moved away, and restarts one whose tasks
 * changed. Instances the previous agent process left running (found in the {@link HandleStore})
 * are adopted: their runners recover the persisted task handles instead of starting tasks
 * again; those whose instances are gone are stopped once the first full listing says so.
 *
 * <p>An instance whose configs or secrets cannot be read yet (not created, deleted, no data, server
 * unreachable) does not fail: it is reported {@code waiting}, with the reason naming what is missing,
 * and started as soon as a change of that config or secret arrives ({@link #inputsChanged}), or
 * else at the next retry (backoff from {@value #FIRST_RETRY_MS} ms doubling to {@value #MAX_RETRY_MS}
 * ms). Nothing runs meanwhile, so nothing counts against the restart policy. A running instance
 * keeps running when a config or secret it took is deleted (as a container keeps the environment it
 * started with); it waits only when it starts again.
 *
 * <p>A new instance whose dynamic host port is taken on this node by something else is refused
 * (reported {@code rejected}) after the node's report of its ports in use ({@link HostPorts}) was
 * published, so the controller places its replacement on another port.
 *
 * <p>Level-triggered: {@link #sync} takes a full listing, {@link #apply}/{@link #remove} single
 * changes, and each decides from the state it finds. Decisions are made under one lock and
 * are quick; stopping a runner (which blocks for the grace period) runs on its own virtual thread,
 * and so does each waiting instance's retry.
 */
public final class InstanceSupervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InstanceSupervisor.class);
    static final long FIRST_RETRY_MS = 1000;
    static final long MAX_RETRY_MS = 30_000;

    /** One instance this agent runs (or ran: a finished instance stays until it is deleted). */
    public record Entry(Instance instance, InstanceRunner runner, InstanceTracker tracker) {
        /** The instance's status as this agent computes it now. */
        public InstanceStatus status() { return tracker.status(); }
    }

    /**
     * An instance waiting for its configs or secrets: {@code wake} ends the current wait early (a
     * change of an input, a new version of the instance, its removal); {@code attempt} counts the
     * tries so far, for the backoff.
     */
    private record Waiting(Instance instance, HandleStore.Persisted left, String reason, int attempt,
                           java.util.concurrent.CompletableFuture<Void> wake) {}

    private final String node;
    private final String address;
    private final Function<String, Driver> drivers;
    private final InstantSource clock;
    private final HandleStore handles;
    private final BiConsumer<InstanceKey, InstanceStatus> statusSink;
    private final Function<Instance, RestartPolicy> restartPolicies;
    private final Function<Instance, Map<String, String>> dependencyEnv;
    private final TaskInputs inputs;
    private final io.wharf.agent.identity.WorkloadIdentity identity; // null: instances get no workload token
    private final AgentMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<InstanceKey, Entry> entries = new ConcurrentHashMap<>();
    private final Map<InstanceKey, HandleStore.Persisted> adoptable;
    private final List<Thread> stopping = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Instances waiting for configs or secrets; guarded by {@code lock} for writes. */
    private final Map<InstanceKey, Waiting> waiting = new ConcurrentHashMap<>();
    /** Instances refused because a port was taken, until they are deleted; guarded by {@code lock} for writes. */
    private final Set<InstanceKey> rejected = ConcurrentHashMap.newKeySet();
    private final HostPorts hostPorts;
    /** Host ports of instances being stopped (still bound until their tasks are down); not reported as foreign. */
    private final Map<InstanceKey, java.util.Collection<Integer>> stoppingPorts = new ConcurrentHashMap<>();
    private volatile boolean synced;
    private volatile boolean closed;

    /**
     * @param restartPolicies the restart policy of an instance's tasks (its owner's), looked up when it starts
     * @param inputs reads the configs and secrets tasks take
     * @param dependencyEnv the variables naming an instance's dependencies (their ambassadors), looked up when it starts
     */
    public InstanceSupervisor(String node, String address, Function<String, Driver> drivers, InstantSource clock,
                              HandleStore handles, BiConsumer<InstanceKey, InstanceStatus> statusSink,
                              Function<Instance, RestartPolicy> restartPolicies, TaskInputs inputs,
                              Function<Instance, Map<String, String>> dependencyEnv) {
        this(node, address, drivers, clock, handles, statusSink, restartPolicies, inputs, dependencyEnv, null);
    }

    /** @param identity gives each instance its workload token (env and file); null for none */
    public InstanceSupervisor(String node, String address, Function<String, Driver> drivers, InstantSource clock,
                              HandleStore handles, BiConsumer<InstanceKey, InstanceStatus> statusSink,
                              Function<Instance, RestartPolicy> restartPolicies, TaskInputs inputs,
                              Function<Instance, Map<String, String>> dependencyEnv,
                              io.wharf.agent.identity.WorkloadIdentity identity) {
        this.identity = identity;
        this.restartPolicies = restartPolicies;
        this.dependencyEnv = dependencyEnv;
        this.inputs = inputs;
        this.metrics = new AgentMetrics(() -> java.util.stream.Stream.concat(
                entries.values().stream().map(e -> e.status().state()),
                waiting.values().stream().map(w -> InstanceState.WAITING)).toList());
        this.hostPorts = new HostPorts(address, this::assignedPorts);
        this.node = node;
        this.address = address;
        this.drivers = drivers;
        this.clock = clock;
        this.handles = handles;
        this.statusSink = statusSink;
        this.adoptable = new ConcurrentHashMap<>(handles.load());
        if (!adoptable.isEmpty()) log.info("found {} instance(s) left by a previous agent: {}", adoptable.size(), adoptable.keySet());
    }

    /** This node's report of the dynamic ports something else holds (published by the node's liveness). */
    public HostPorts hostPorts() { return hostPorts; }

    /** The host ports of every instance this agent runs or waits to run. */
    private Set<Integer> assignedPorts() {
        Set<Integer> out = new java.util.HashSet<>();
        entries.values().forEach(e -> out.addAll(e.instance().spec().assignedPorts().values()));
        waiting.values().forEach(w -> out.addAll(w.instance().spec().assignedPorts().values()));
        stoppingPorts.values().forEach(out::addAll);
        return out;
    }

    /** True once a full listing was applied (orphans of a previous agent are handled then). */
    public boolean synced() { return synced; }

    /** A full listing of the instances placed on this node. */
    public void sync(Map<InstanceKey, Instance> desired) {
        lock.lock();
        try {
            for (Instance i : desired.values()) apply(i);
            for (InstanceKey k : List.copyOf(entries.keySet())) if (!desired.containsKey(k)) remove(k);
            for (InstanceKey k : List.copyOf(waiting.keySet())) if (!desired.containsKey(k)) remove(k);
            rejected.removeIf(k -> !desired.containsKey(k));
            for (InstanceKey k : List.copyOf(adoptable.keySet())) if (!desired.containsKey(k)) stopOrphan(k);
            synced = true;
        } finally {
            lock.unlock();
        }
    }

    /** An instance was placed on this node or changed. */
    public void apply(Instance instance) {
        var key = new InstanceKey(instance.metadata().namespace(), instance.metadata().name());
        lock.lock();
        try {
            if (!node.equals(instance.spec().node())) {
                remove(key);
                return;
            }
            if (rejected.contains(key)) return; // refused here; its controller replaces it
            Waiting w = waiting.get(key);
            if (w != null) {
                // Still waiting: the retry takes this version, now.
                waiting.put(key, new Waiting(instance, w.left(), w.reason(), w.attempt(), w.wake()));
                if (!sameWork(w.instance(), instance)) w.wake().complete(null);
                return;
            }
            Entry current = entries.get(key);
            if (current != null) {
                if (sameWork(current.instance(), instance)) {
                    entries.put(key, new Entry(instance, current.runner(), current.tracker()));
                    return;
                }
                log.info("instance {} changed: restarting it", key);
                restart(key, current, instance);
                return;
            }
            HandleStore.Persisted left = adoptable.remove(key);
            if (left == null && instance.status().state().terminal()) return; // it ran here and ended; not again
            start(key, instance, left, 0);
        } finally {
            lock.unlock();
        }
    }

    /** An instance was deleted or moved to another node: stop its tasks, then forget it. */
    public void remove(InstanceKey key) {
        lock.lock();
        try {
            rejected.remove(key);
            Waiting w = waiting.remove(key);
            if (w != null) {
                w.wake().complete(null);
                log.info("instance {} is gone from this node while waiting ({})", key, w.reason());
                if (identity != null) identity.forget(key);
                if (w.left() != null) adoptable.put(key, w.left()); // tasks a previous agent left: stopped below
            }
            Entry current = entries.remove(key);
            if (current != null) {
                log.info("instance {} is gone from this node: stopping it", key);
                stopAsync(key, current, () -> {});
            } else if (adoptable.containsKey(key)) {
                stopOrphan(key);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A config ({@code kind} CONFIG) or secret was created, changed or deleted: instances here
     * waiting for it try again now. A running instance is never restarted for it: a changed config
     * reaches a service through its rollout (new instances that read the revisions their template
     * pinned), and a job's running instance keeps what it started with; the log says so ({@code
     * deleted}: a warning).
     */
    public void inputsChanged(Kind kind, String namespace, String name, boolean deleted) {
        waiting.values().stream().filter(w -> w.instance().metadata().namespace().equals(namespace)
                && TaskInputs.uses(w.instance().spec().tasks(), kind, name)).forEach(w -> w.wake().complete(null));
        for (var e : entries.entrySet()) {
            Instance i = e.getValue().instance();
            if (i.metadata().namespace().equals(namespace) && TaskInputs.uses(i.spec().tasks(), kind, name)
                    && !e.getValue().runner().finished().isDone()) {
                String what = (kind == Kind.SECRET ? "secret " : "config ") + name;
                if (deleted) {
                    log.warn("instance {} keeps running with the configs and secrets it started with ({} was deleted)",
                            e.getKey(), what);
                } else {
                    log.info("instance {} keeps running with the configs and secrets it started with ({} changed:"
                            + " a service takes it through its rollout)", e.getKey(), what);
                }
            }
        }
    }

    /** Every waiting instance tries again (after a gap in following config and secret changes). */
    public void recheckInputs() {
        waiting.values().forEach(w -> w.wake().complete(null));
    }

    /** Stops the entry's runner, then starts {@code instance} afresh (unless it was removed meanwhile). Under the lock. */
    private void restart(InstanceKey key, Entry current, Instance instance) {
        entries.remove(key);
        stopAsync(key, current, () -> {
            lock.lock();
            try {
                if (!entries.containsKey(key) && !waiting.containsKey(key) && !closed) start(key, instance, null, 0);
            } finally {
                lock.unlock();
            }
        });
    }

    /** The metrics of the instances this supervisor runs (served at {@code GET /metrics}). */
    public AgentMetrics metrics() { return metrics; }

    public Optional<Entry> find(InstanceKey key) { return Optional.ofNullable(entries.get(key)); }

    public Map<InstanceKey, Entry> entries() { return Map.copyOf(entries); }

    /** The instances waiting for configs or secrets, with what each waits for. */
    public Map<InstanceKey, String> waiting() {
        var out = new TreeMap<InstanceKey, String>(java.util.Comparator.comparing(InstanceKey::toString));
        waiting.forEach((k, w) -> out.put(k, w.reason()));
        return out;
    }

    /** Runs a command in a running task of an instance; empty when the instance or task does not run here. */
    public Optional<ExecResult> exec(InstanceKey key, String task, List<String> command, Duration timeout) {
        Entry e = entries.get(key);
        if (e == null) return Optional.empty();
        String name = task != null ? task : mainTask(e.instance());
        for (TaskRunner r : e.runner().tasks()) {
            TaskHandle h = r.status().handle();
            if (r.id().task().equals(name) && h != null) {
                Driver d = drivers.apply(h.driver());
                if (d != null) return Optional.of(d.exec(h, command, timeout));
            }
        }
        return Optional.empty();
    }

    /** The default restart policy of an instance whose owner cannot be read: by the owner's kind. */
    public static RestartPolicy defaultRestart(Instance instance) {
        return instance.spec().owner().kind() == Kind.JOB ? RestartPolicy.JOB_DEFAULT : RestartPolicy.SERVICE_DEFAULT;
    }

    /** The main task's name of an instance this agent knows. */
    public static String mainTask(Instance instance) {
        return instance.spec().tasks().stream().filter(t -> t.lifecycle() == TaskLifecycle.MAIN).map(TaskSpec::name)
                .findFirst().orElse("main");
    }

    /** Starts an instance's runner, or makes it wait (inputs unavailable), or refuses it (port taken). Under the lock. */
    private void start(InstanceKey key, Instance instance, HandleStore.Persisted left, int attempt) {
        String main = mainTask(instance);
        boolean readiness = instance.spec().tasks().stream()
                .anyMatch(t -> t.name().equals(main) && t.health().readiness() != null);
        var tracker = new InstanceTracker(key, address, handles, left == null ? null : instance.status(), main, readiness,
                metrics, status -> statusSink.accept(key, status));
        List<TaskPlan> plans;
        try {
            plans = plans(key, instance);
        } catch (TaskInputs.Unavailable e) {
            await(key, instance, left, e.getMessage(), attempt);
            return;
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            log.warn("instance {} cannot run: {}", key, e.getMessage());
            statusSink.accept(key, new InstanceStatus(InstanceState.FAILED, null, 0, null, e.getMessage(), address,
                    null, clock.instant()));
            return;
        }
        if (left == null) {
            List<PortBinding> taken = takenDynamicPorts(instance, plans);
            if (!taken.isEmpty()) {
                reject(key, instance, taken);
                return;
            }
        }
        handles.saveInstance(instance);
        Map<TaskId, TaskHandle> recovered = left == null ? Map.of() : left.handles();
        if (!recovered.isEmpty()) log.info("adopting instance {} ({} running task(s))", key, recovered.size());
        var runner = new InstanceRunner(key.taskInstance(), plans, drivers, clock, tracker, recovered);
        entries.put(key, new Entry(instance, runner, tracker));
        runner.finished().thenRun(() -> {
            // An instance that ended is not run again here; its state files go, its logs stay.
            if (entries.get(key) == null || entries.get(key).runner() == runner) {
                handles.forget(key);
                if (identity != null) identity.forget(key);
                metrics.forget(key.namespace(), key.name());
            }
        });
        runner.start();
    }

    /**
     * Reports the instance waiting for {@code reason} (once per reason) and tries again after the
     * backoff of {@code attempt}, or at once when woken. Under the lock.
     */
    private void await(InstanceKey key, Instance instance, HandleStore.Persisted left, String reason, int attempt) {
        var w = new Waiting(instance, left, reason, attempt, new java.util.concurrent.CompletableFuture<>());
        Waiting before = waiting.put(key, w);
        if (before == null || !before.reason().equals(reason)) {
            log.info("instance {} waits: {}", key, reason);
            statusSink.accept(key, InstanceStatus.waiting(reason, instance.status().restarts(), address));
        }
        long delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(attempt, 20));
        Thread t = Thread.ofVirtual().name("wait-inputs-" + key.taskInstance()).start(() -> {
            try {
                w.wake().get(delay, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // the backoff is over: try again
            } catch (InterruptedException e) {
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
            lock.lock();
            try {
                Waiting now = waiting.get(key);
                if (closed || now == null || now.wake() != w.wake()) return; // removed, or retried by another wake
                waiting.remove(key);
                start(key, now.instance(), now.left(), attempt + 1);
            } finally {
                lock.unlock();
            }
        });
        track(t);
    }

    /** The bindings of the instance's dynamic ports (no fixed number in its tasks) that cannot be bound now. */
    private static List<PortBinding> takenDynamicPorts(Instance instance, List<TaskPlan> plans) {
        Set<String> dynamic = new java.util.HashSet<>();
        for (TaskSpec t : instance.spec().tasks()) {
            for (PortSpec p : t.ports()) if (p.hostPort() == 0 && p.port() == 0) dynamic.add(p.name());
        }
        List<PortBinding> taken = new ArrayList<>();
        for (TaskPlan p : plans) {
            for (PortBinding b : p.config().ports()) {
                if (dynamic.contains(b.name()) && PortAvailability.firstTaken(List.of(b)).isPresent()) taken.add(b);
            }
        }
        return taken;
    }

    /**
     * Refuses an instance whose dynamic ports are taken: on a thread of its own, the node's report of
     * its ports in use is published first, then the instance is reported {@code rejected}, so the
     * replacement's placement already avoids these ports. Under the lock.
     */
    private void reject(InstanceKey key, Instance instance, List<PortBinding> taken) {
        PortBinding first = taken.getFirst();
        String reason = "port " + first.name() + " (" + first.hostIp() + ":" + first.hostPort() + (first.udp() ? "/udp" : "")
                + ") is already in use on node " + node;
        log.warn("instance {} refused: {}", key, reason);
        rejected.add(key);
        Thread t = Thread.ofVirtual().name("reject-" + key.taskInstance()).start(() -> {
            hostPorts.taken(taken);
            statusSink.accept(key, new InstanceStatus(InstanceState.REJECTED, null, instance.status().restarts(), null,
                    reason, address, null, clock.instant()));
        });
        track(t);
    }

    /** Stops the tasks a previous agent left running for an instance that no longer exists. */
    private void stopOrphan(InstanceKey key) {
        HandleStore.Persisted left = adoptable.remove(key);
        if (left == null) return;
        log.info("instance {} was deleted while the agent was away: stopping what is left of it", key);
        Thread t = Thread.ofVirtual().name("stop-orphan-" + key.taskInstance()).start(() -> {
            for (TaskHandle h : left.handles().values()) {
                Driver d = drivers.apply(h.driver());
                if (d == null) continue;
                try {
                    if (d.recover(h).isPresent()) d.stop(h, stopGrace(left.instance(), h.task().task()));
                    d.destroy(h);
                } catch (RuntimeException e) {
                    log.warn("cannot stop orphaned task {}", h.task(), e);
                }
            }
            handles.forget(key);
        });
        track(t);
    }

    /** Remembers a stopping thread so close() can wait for it; finished ones are dropped. */
    private void track(Thread t) {
        stopping.removeIf(s -> !s.isAlive());
        stopping.add(t);
    }

    private void stopAsync(InstanceKey key, Entry entry, Runnable then) {
        stoppingPorts.put(key, List.copyOf(entry.instance().spec().assignedPorts().values()));
        Thread t = Thread.ofVirtual().name("stop-" + key.taskInstance()).start(() -> {
            try {
                entry.runner().stop();
            } catch (RuntimeException e) {
                log.warn("stopping instance {} failed", key, e);
            } finally {
                stoppingPorts.remove(key);
            }
            handles.forget(key);
            if (identity != null) identity.forget(key);
            then.run();
        });
        track(t);
    }

    private static Duration stopGrace(Instance instance, String task) {
        return instance.spec().tasks().stream().filter(t -> t.name().equals(task)).map(TaskSpec::stopGracePeriod)
                .findFirst().orElse(TaskSpec.DEFAULT_STOP_GRACE);
    }

    /** Two versions of an instance run the same work: same tasks, same ports. */
    private static boolean sameWork(Instance a, Instance b) {
        return a.spec().tasks().equals(b.spec().tasks()) && a.spec().assignedPorts().equals(b.spec().assignedPorts());
    }

    private List<TaskPlan> plans(InstanceKey key, Instance instance) {
        RestartPolicy restart = restartPolicies.apply(instance);
        Map<String, Integer> assigned = instance.spec().assignedPorts();
        Map<String, String> dependencies = dependencyEnv.apply(instance);
        Map<String, String> token = identity == null ? Map.of() : identity.env(key);
        var plans = new ArrayList<TaskPlan>();
        for (TaskSpec spec : instance.spec().tasks()) {
            TaskPlan p = TaskPlans.of(key.taskInstance(), spec, restart, assigned, address);
            var env = new TreeMap<String, String>();
            // The token file lives on the node: a container does not see it (its variable holds the token).
            token.forEach((name, value) -> {
                if (!(spec.driver() instanceof io.wharf.model.task.DockerDriver)
                        || !name.equals(io.wharf.agent.identity.WorkloadIdentity.FILE_VARIABLE)) env.put(name, value);
            });
            env.putAll(env(key, instance, spec, dependencies));
            var config = p.config();
            if (TaskInputs.uses(spec)) {
                TaskInputs.Prepared given = inputs.prepare(handles.filesDir(key), key.namespace(), spec,
                        instance.spec().inputs());
                env.putAll(given.env());
                var mounts = new ArrayList<>(config.mounts());
                mounts.addAll(given.mounts());
                config = config.withMounts(mounts);
            }
            plans.add(new TaskPlan(config.withEnv(env), p.lifecycle(), p.restart(), p.checks()));
        }
        return plans;
    }

    /**
     * What every task learns about where it runs: its instance, the node's address, every assigned
     * port ({@code WHARF_PORT_<NAME>}) and {@code PORT}, its own first port (for a docker bridge task,
     * its own ports are the numbers inside the container), and its dependencies' ambassador
     * addresses ({@code <DEP>_HOST/_PORT/_URL}; not for docker bridge tasks, whose 127.0.0.1 is
     * their own). The task's own env wins.
     */
    private Map<String, String> env(InstanceKey key, Instance instance, TaskSpec spec, Map<String, String> dependencies) {
        var env = new TreeMap<String, String>();
        env.put("WHARF_NAMESPACE", key.namespace());
        env.put("WHARF_INSTANCE_NAME", key.name());
        env.put("WHARF_NODE", node);
        env.put("WHARF_NODE_ADDRESS", address);
        instance.spec().assignedPorts().forEach((name, port) ->
                env.put("WHARF_PORT_" + name.toUpperCase(Locale.ROOT).replace('-', '_'), Integer.toString(port)));
        // A docker bridge task listens on its own port numbers inside the container (published on the
        // assigned ones), so its own ports name the inside number: what it must bind.
        boolean bridge = spec.driver() instanceof io.wharf.model.task.DockerDriver d
                && d.network() == io.wharf.model.task.NetworkMode.BRIDGE;
        if (bridge) {
            for (PortSpec p : spec.ports()) {
                if (p.port() > 0) env.put("WHARF_PORT_" + p.name().toUpperCase(Locale.ROOT).replace('-', '_'), Integer.toString(p.port()));
            }
        }
        Integer first = null;
        if (!spec.ports().isEmpty()) {
            PortSpec p = spec.ports().getFirst();
            first = bridge && p.port() > 0 ? Integer.valueOf(p.port())
                    : instance.spec().assignedPorts().getOrDefault(p.name(), p.hostPort() > 0 ? p.hostPort() : p.port());
        } else if (!instance.spec().assignedPorts().isEmpty()) {
            first = new TreeMap<>(instance.spec().assignedPorts()).firstEntry().getValue();
        }
        if (first != null && first > 0) env.put("PORT", Integer.toString(first));
        if (!bridge) env.putAll(dependencies);
        env.putAll(spec.env());
        return env;
    }

    /**
     * With {@code stopWorkloads} every instance is stopped (dev mode, tests); without, the tasks keep
     * running for the next agent to adopt. Either way the runners' threads are released.
     */
    public void close(boolean stopWorkloads) {
        lock.lock();
        try {
            closed = true;
            waiting.values().forEach(w -> w.wake().complete(null));
            waiting.clear();
        } finally {
            lock.unlock();
        }
        if (stopWorkloads) {
            var threads = new ArrayList<Thread>();
            for (var e : new HashMap<>(entries).entrySet()) {
                entries.remove(e.getKey());
                threads.add(Thread.ofVirtual().start(() -> {
                    e.getValue().runner().stop();
                    handles.forget(e.getKey());
                    if (identity != null) identity.forget(e.getKey());
                }));
            }
            threads.addAll(stopping);
            for (Thread t : threads) {
                try {
                    t.join(Duration.ofSeconds(60));
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } else {
            for (Entry e : entries.values()) e.runner().detach();
        }
    }

    @Override
    public void close() {
        close(false);
    }
}
