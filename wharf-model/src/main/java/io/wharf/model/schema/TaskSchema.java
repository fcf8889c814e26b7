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
    static final Set<String> SIGNALS = Set.of("SIGTERM", "SIGINT", "SIGQUIT", "SIGKILL", "SIGHUP", "SIGUSR1", "SIGUSR2",
            "SIGWINCH", "SIGSTOP");
    private static final Pattern IP = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

    /** Reads the tasks of workload {@code owner}; the result may be empty only when problems were reported. */
    public static List<TaskSpec> readTasks(Fields f, String owner) {
        if (!f.has("tasks")) {
            Map<String, String> env = env(f);
            TaskSpec t = readTask(f, owner, TaskLifecycle.MAIN, env);
            if (t == null) return List.of();
            checkTaskSet(List.of(t), f.path("ports"), f.problems());
            return List.of(t);
        }
        for (String field : DriverSchema.ALL_FIELDS) {
            if (f.has(field)) f.problem(field, "not allowed next to tasks (move it into a task)");
        }
        for (String field : TASK_FIELDS) {
            if (!field.equals("env") && f.has(field)) f.problem(field, "not allowed next to tasks (move it into a task)");
        }
        Map<String, String> shared = env(f);
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
                TaskSpec t = readTask(tf, name, lifecycle, merge(shared, env(tf)));
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
                TaskSpec t = readTask(tf, name == null ? "task-" + i : name, lifecycle, merge(shared, env(tf)));
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
    static TaskSpec readTask(Fields f, String name, TaskLifecycle lifecycle, Map<String, String> env) {
        DriverConfig driver = DriverSchema.read(f);
        ComputeResources resources = resources(f);
        List<PortSpec> ports = ports(f);
        if (lifecycle == TaskLifecycle.PRESTART || lifecycle == TaskLifecycle.POSTSTOP) {
            if (!ports.isEmpty()) f.problem("ports", lifecycle.wire() + " tasks cannot have ports");
        }
        List<VolumeMount> volumes = f.list("volumes", (t, p) -> volume(t, p, f.problems()));
        List<ConfigMount> configs = mounts(f, "configs", "/run/configs/", 0444);
        List<ConfigMount> secrets = mounts(f, "secrets", "/run/secrets/", 0400);
        mountClashes(f, volumes, configs, secrets);
        HealthSpec health = HealthSchema.read(f, ports);
        if ((lifecycle == TaskLifecycle.PRESTART || lifecycle == TaskLifecycle.POSTSTOP) && !health.equals(HealthSpec.NONE)) {
            f.problem("health", lifecycle.wire() + " tasks cannot have health checks");
        }
        var stopGrace = f.duration("stopGracePeriod", TaskSpec.DEFAULT_STOP_GRACE);
        String signal = f.string("stopSignal");
        if (signal != null) {
            String s = signal.trim().toUpperCase(java.util.Locale.ROOT);
            if (!s.startsWith("SIG")) s = "SIG" + s;
            if (!SIGNALS.contains(s)) {
                f.problem("stopSignal", "unknown signal \"" + signal + "\" (use one of " + String.join(", ", SIGNALS.stream().sorted().toList()) + ")");
                s = null;
            }
            signal = s;
        }
        if (driver == null) return null;
        return new TaskSpec(name, lifecycle, driver, env, resources, ports, volumes, configs, secrets, health, stopGrace, signal);
    }

    /** Two mounts on one file path, or two mounts into one env var, cannot both win. */
    private static void mountClashes(Fields f, List<VolumeMount> volumes, List<ConfigMount> configs, List<ConfigMount> secrets) {
        Map<String, String> paths = new HashMap<>();
        Map<String, String> envs = new HashMap<>();
        for (int i = 0; i < volumes.size(); i++) {
            claim(f, paths, volumes.get(i).target(), "volumes[" + i + "]", "target", "mounted");
        }
        for (String key : List.of("configs", "secrets")) {
            List<ConfigMount> mounts = key.equals("configs") ? configs : secrets;
            for (int i = 0; i < mounts.size(); i++) {
                ConfigMount m = mounts.get(i);
                if (m.path() != null) claim(f, paths, m.path(), key + "[" + i + "]", "path", "mounted");
                if (m.env() != null) claim(f, envs, m.env(), key + "[" + i + "]", "env", "set");
            }
        }
    }

    private static void claim(Fields f, Map<String, String> taken, String value, String where, String field, String verb) {
        String first = taken.putIfAbsent(value, where);
        if (first != null) f.problems().add(Paths.field(f.path(where), field), "\"" + value + "\" is already " + verb + " by " + first);
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

    private static VolumeMount volume(Tree t, String path, Problems problems) {
        if (t instanceof Tree.Scalar s) {
            // Compose short form SOURCE:TARGET[:ro|rw]; a source starting with / or . is a host path.
            String[] parts = s.text().split(":");
            if (parts.length < 2 || parts.length > 3 || (parts.length == 3 && !parts[2].matches("ro|rw"))) {
                problems.add(path, "must be NAME:TARGET[:ro] or /HOST/PATH:TARGET[:ro], got \"" + s.text() + "\"");
                return null;
            }
            boolean host = parts[0].startsWith("/") || parts[0].startsWith(".");
            if (!host) {
                var bad = Names.dnsLabelProblem(parts[0]);
                if (bad.isPresent()) problems.add(path, bad.get());
                else problems.refer("volume", parts[0], path);
            }
            if (!parts[1].startsWith("/")) problems.add(path, "target must be an absolute path, got \"" + parts[1] + "\"");
            return new VolumeMount(host ? null : parts[0], host ? parts[0] : null, parts[1],
                    parts.length == 3 && parts[2].equals("ro"));
        }
        Fields f = Fields.of(t, path, problems);
        if (!f.isMapping()) return null;
        String name = f.name("name", false);
        String hostPath = f.string("hostPath");
        if (name != null) problems.refer("volume", name, f.path("name"));
        if (name == null && hostPath == null && !f.has("name")) f.problem("name", "is required (a named volume, or hostPath)");
        if (name != null && hostPath != null) f.problem("hostPath", "use either name or hostPath, not both");
        if (hostPath != null && !hostPath.startsWith("/")) f.problem("hostPath", "must be an absolute path, got \"" + hostPath + "\"");
        String target = f.required("target");
        if (target != null && !target.startsWith("/")) f.problem("target", "must be an absolute path, got \"" + target + "\"");
        boolean readOnly = f.bool("readOnly", false);
        f.finish();
        return target == null ? null : new VolumeMount(name, hostPath, target, readOnly);
    }

    private static List<ConfigMount> mounts(Fields parent, String key, String defaultDir, int defaultMode) {
        return parent.list(key, (t, path) -> {
            if (t instanceof Tree.Scalar s) {
                var bad = Names.dnsLabelProblem(s.text());
                if (bad.isPresent()) {
                    parent.problems().add(path, bad.get());
                    return null;
                }
                parent.problems().refer(key.equals("configs") ? "config" : "secret", s.text(), path);
                return new ConfigMount(s.text(), null, defaultDir + s.text(), defaultMode);
            }
            Fields f = Fields.of(t, path, parent.problems());
            if (!f.isMapping()) return null;
            String name = f.name("name", true);
            if (name != null) f.problems().refer(key.equals("configs") ? "config" : "secret", name, f.path("name"));
            String env = f.string("env");
            String file = f.string("path");
            String target = f.string("target");
            if (target != null) {
                // Compose-style target: an absolute path is a file, anything else an env var.
                if (env != null || file != null) f.problem("target", "use either target or env/path, not both");
                else if (target.startsWith("/")) file = target;
                else env = target;
            }
            if (env != null && file != null) f.problem("path", "use either env or path, not both");
            if (env != null) Names.envNameProblem(env).ifPresent(bad -> f.problem("env", bad));
            if (file != null && !file.startsWith("/")) f.problem("path", "must be an absolute path, got \"" + file + "\"");
            int mode = defaultMode;
            Tree m = f.take("mode");
            if (m != null) {
                Integer parsed = fileMode(m, f.path("mode"), f.problems());
                if (parsed != null) mode = parsed;
            }
            f.finish();
            if (name == null) return null;
            return new ConfigMount(name, env, env == null && file == null ? defaultDir + name : file, mode);
        });
    }

    /**
     * File permission bits, always read as octal digits: {@code 0440}, {@code 440} and
     * {@code "0440"} are the same. (YAML 1.1 would read an unquoted 0440 as octal and 440 as
     * decimal; here both mean r--r-----.)
     */
    static Integer fileMode(Tree t, String path, Problems problems) {
        if (t instanceof Tree.Scalar s && s.style() != Tree.Style.BOOLEAN && s.text().trim().matches("0?[0-7]{1,3}")) {
            return Integer.parseInt(s.text().trim(), 8);
        }
        problems.add(path, "must be an octal file mode like \"0440\", got " + t.describe());
        return null;
    }
}
