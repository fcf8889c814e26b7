package io.wharf.model.schema;

import io.wharf.model.document.Fields;
import io.wharf.model.document.Paths;
import io.wharf.model.document.Problems;
import io.wharf.model.document.Scalars;
import io.wharf.model.document.Tree;
import io.wharf.model.quantity.ByteSize;
import io.wharf.model.quantity.ComputeResources;
import io.wharf.model.quantity.Cpu;
import io.wharf.model.task.ConfigMount;
import io.wharf.model.task.DriverConfig;
import io.wharf.model.task.HealthSpec;
import io.wharf.model.task.PortSpec;
import io.wharf.model.task.Protocol;
import io.wharf.model.task.TaskLifecycle;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.task.VolumeMount;
import io.wharf.model.validation.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tasks of a service or job. Short form: driver settings and task fields directly on the
 * workload, one main task named after it. Long form: {@code tasks:} as a mapping name → task
 * (stack files) or a list of tasks with {@code name} (canonical JSON); workload-level
 * {@code env} is then shared by all tasks (a task's own entry wins).
 */
public final class TaskSchema {
    private TaskSchema() {}

    /** Fields of a task besides its driver settings, name and lifecycle. */
    static final List<String> TASK_FIELDS = List.of("env", "resources", "ports", "volumes", "configs", "secrets", "health",
            "stopGracePeriod", "stopSignal");
    /** Task fields that may stay on a workload in the long form: defaults for every task (a task's own value wins). */
    static final Set<String> SHARED_FIELDS = Set.of("env", "stopGracePeriod", "stopSignal");
    static final Set<String> SIGNALS = Set.of("SIGTERM", "SIGINT", "SIGQUIT", "SIGKILL", "SIGHUP", "SIGUSR1", "SIGUSR2",
            "SIGWINCH", "SIGSTOP");
    private static final Pattern IP = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

    /** Reads the tasks of workload {@code owner}; the result may be empty only when problems were reported. */
    public static List<TaskSpec> readTasks(Fields f, String owner) {
        if (!f.has("tasks")) {
            Map<String, String> env = env(f);
            TaskSpec t = readTask(f, owner, TaskLifecycle.MAIN, env, TaskSpec.DEFAULT_STOP_GRACE, TaskSpec.DEFAULT_STOP_SIGNAL);
            if (t == null) return List.of();
            checkTaskSet(List.of(t), f.path("ports"), f.problems());
            return List.of(t);
        }
        for (String field : DriverSchema.ALL_FIELDS) {
            if (f.has(field)) f.problem(field, "not allowed next to tasks (move it into a task)");
        }
        for (String field : TASK_FIELDS) {
            if (!SHARED_FIELDS.contains(field) && f.has(field)) f.problem(field, "not allowed next to tasks (move it into a task)");
        }
        Map<String, String> shared = env(f);
        Duration sharedGrace = f.duration("stopGracePeriod", TaskSpec.DEFAULT_STOP_GRACE);
        String sharedSignal = signal(f, TaskSpec.DEFAULT_STOP_SIGNAL);
        Tree tasksNode = f.take("tasks");
        String tasksPath = f.path("tasks");
        Problems problems = f.problems();
        List<TaskSpec> tasks = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        if (tasksNode instanceof Tree.Mapping m) {
            if (m.entries().isEmpty()) problems.add(tasksPath, "needs at least one task");
            m.entries().forEach((name, node) -> {
                String path = Paths.field(tasksPath, name);
                var bad = Names.dnsLabelProblem(name);
                if (bad.isPresent()) problems.add(path, bad.get());
                Fields tf = Fields.of(node, path, problems);
                TaskLifecycle lifecycle = tf.choice("lifecycle", TaskLifecycle.class, TaskLifecycle.MAIN);
                TaskSpec t = readTask(tf, name, lifecycle, merge(shared, env(tf)), sharedGrace, sharedSignal);
                tf.finish();
                if (t != null) tasks.add(t);
            });
        } else if (tasksNode instanceof Tree.Sequence seq) {
            if (seq.items().isEmpty()) problems.add(tasksPath, "needs at least one task");
            for (int i = 0; i < seq.items().size(); i++) {
                String path = Paths.index(tasksPath, i);
                Fields tf = Fields.of(seq.items().get(i), path, problems);
                String name = tf.name("name", true);
                if (name != null && seen.putIfAbsent(name, path) != null) {
                    tf.problem("name", "duplicate task name \"" + name + "\"");
                }
                TaskLifecycle lifecycle = tf.choice("lifecycle", TaskLifecycle.class, TaskLifecycle.MAIN);
                TaskSpec t = readTask(tf, name == null ? "task-" + i : name, lifecycle, merge(shared, env(tf)), sharedGrace,
                        sharedSignal);
                tf.finish();
                if (t != null) tasks.add(t);
            }
        } else {
            problems.add(tasksPath, "must be a mapping of task name to task, got " + tasksNode.describe());
        }
        checkTaskSet(tasks, tasksPath, problems);
        return tasks;
    }

    private static Map<String, String> merge(Map<String, String> shared, Map<String, String> own) {
        Map<String, String> m = new LinkedHashMap<>(shared);
        m.putAll(own);
        return m;
    }

    /** Exactly one main task; ports unique by name and by number across the tasks of one instance. */
    private static void checkTaskSet(List<TaskSpec> tasks, String tasksPath, Problems problems) {
        List<String> mains = tasks.stream().filter(t -> t.lifecycle() == TaskLifecycle.MAIN).map(TaskSpec::name).toList();
        if (!tasks.isEmpty() && mains.size() != 1) {
            problems.add(tasksPath, "needs exactly one main task, found " + (mains.isEmpty() ? "none" : mains.size() + " ("
                    + String.join(", ", mains) + ")"));
        }
        Map<String, String> portNames = new HashMap<>();
        Map<String, String> portNumbers = new HashMap<>();
        for (TaskSpec t : tasks) {
            for (PortSpec p : t.ports()) {
                String other = portNames.putIfAbsent(p.name(), t.name());
                if (other != null && !other.equals(t.name())) problems.add(tasksPath, "port name \"" + p.name() + "\" is used by tasks " + other + " and " + t.name());
                if (p.port() != 0) {
                    String key = p.port() + "/" + p.protocol().wire();
                    String label = tasks.size() == 1 ? p.name() : t.name() + "." + p.name();
                    String prev = portNumbers.putIfAbsent(key, label);
                    if (prev != null && !prev.equals(label)) {
                        problems.add(tasksPath, "port " + key + " is declared twice (" + prev + " and " + label + ")");
                    }
                }
            }
        }
    }

    /** One task's driver and fields from {@code f}; null when the driver could not be read. */
    static TaskSpec readTask(Fields f, String name, TaskLifecycle lifecycle, Map<String, String> env, Duration defaultGrace,
                             String defaultSignal) {
        DriverConfig driver = DriverSchema.read(f);
        ComputeResources resources = resources(f);
        List<PortSpec> ports = ports(f);
        if (lifecycle == TaskLifecycle.PRESTART || lifecycle == TaskLifecycle.POSTSTOP) {
            if (!ports.isEmpty()) f.problem("ports", lifecycle.wire() + " tasks cannot have ports");
        }
        List<VolumeMount> volumes = f.list("volumes", (t, p) -> MountSchema.volume(t, p, f.problems()));
        List<ConfigMount> configs = MountSchema.mounts(f, "configs", "/run/configs/", 0444);
        List<ConfigMount> secrets = MountSchema.mounts(f, "secrets", "/run/secrets/", 0400);
        MountSchema.clashes(f, volumes, configs, secrets);
        HealthSpec health = HealthSchema.read(f, ports);
        if ((lifecycle == TaskLifecycle.PRESTART || lifecycle == TaskLifecycle.POSTSTOP) && !health.equals(HealthSpec.NONE)) {
            f.problem("health", lifecycle.wire() + " tasks cannot have health checks");
        }
        Duration stopGrace = f.duration("stopGracePeriod", defaultGrace);
        String signal = signal(f, defaultSignal);
        if (driver == null) return null;
        return new TaskSpec(name, lifecycle, driver, env, resources, ports, volumes, configs, secrets, health, stopGrace, signal);
    }

    /** {@code stopSignal}, upper-cased with the SIG prefix added; {@code def} when absent or unknown. */
    private static String signal(Fields f, String def) {
        String signal = f.string("stopSignal");
        if (signal == null) return def;
        String s = signal.trim().toUpperCase(java.util.Locale.ROOT);
        if (!s.startsWith("SIG")) s = "SIG" + s;
        if (!SIGNALS.contains(s)) {
            f.problem("stopSignal", "unknown signal \"" + signal + "\" (use one of " + String.join(", ", SIGNALS.stream().sorted().toList()) + ")");
            return def;
        }
        return s;
    }

    /** {@code env} as a mapping, or a list of {@code KEY=value} strings; values are always text. */
    static Map<String, String> env(Fields f) {
        Map<String, String> env = new LinkedHashMap<>();
        Tree t = f.take("env");
        if (t instanceof Tree.Sequence seq) {
            for (int i = 0; i < seq.items().size(); i++) {
                String item = Scalars.text(seq.items().get(i), Paths.index(f.path("env"), i), f.problems());
                if (item == null) continue;
                int eq = item.indexOf('=');
                String key = eq < 0 ? item : item.substring(0, eq);
                var bad = Names.envNameProblem(key);
                if (bad.isPresent()) f.problems().add(Paths.index(f.path("env"), i), bad.get());
                else env.put(key, eq < 0 ? "" : item.substring(eq + 1));
            }
            return env;
        }
        if (t != null && !(t instanceof Tree.Mapping)) {
            f.problem("env", "must be a mapping of names to values, got " + t.describe());
            return env;
        }
        Map<String, String> raw = f.stringMap("env");
        raw.forEach((k, v) -> {
            var bad = Names.envNameProblem(k);
            if (bad.isPresent()) f.problems().add(Paths.field(f.path("env"), k), bad.get());
            else env.put(k, v);
        });
        return env;
    }

    private static ComputeResources resources(Fields parent) {
        if (!parent.has("resources")) return ComputeResources.DEFAULT;
        Fields f = Fields.of(parent.take("resources"), parent.path("resources"), parent.problems());
        Cpu cpu = f.cpu("cpu", ComputeResources.DEFAULT.cpu());
        ByteSize memory = f.size("memory", ComputeResources.DEFAULT.memory());
        if (f.has("memory") && memory.bytes() == 0) f.problem("memory", "must be > 0");
        f.finish();
        return new ComputeResources(cpu, memory);
    }

    private static List<PortSpec> ports(Fields f) {
        Map<String, String> names = new HashMap<>();
        return f.list("ports", (t, path) -> {
            Fields pf = Fields.of(t, path, f.problems());
            if (!pf.isMapping()) return null;
            String name = pf.name("name", true);
            if (name != null && names.putIfAbsent(name, path) != null) pf.problem("name", "duplicate port name \"" + name + "\"");
            if (!pf.has("port")) pf.problem("port", "is required (0 for a dynamic port)");
            int port = pf.integer("port", 0, 0, 65535);
            Protocol protocol = pf.choice("protocol", Protocol.class, Protocol.TCP);
            String host = pf.string("host");
            if (host != null && !IP.matcher(host).matches()) pf.problem("host", "must be an IP address, got \"" + host + "\"");
            int hostPort = pf.integer("hostPort", 0, 0, 65535);
            pf.finish();
            return name == null ? null : new PortSpec(name, port, protocol, host, hostPort);
        });
    }

}
