package io.wharf.agent.driver;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a driver needs to find a started task again, also from a new agent process: the driver's
 * name, the task, when it started and driver-specific string attributes (a pid and its kernel
 * start time, a container id). Plain strings so the agent can persist it as JSON or properties.
 */
public record TaskHandle(String driver, TaskId task, Instant startedAt, Map<String, String> attributes) {
    public TaskHandle {
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(startedAt, "startedAt");
        attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
    }

    public String attribute(String key) {
        String v = attributes.get(key);
        if (v == null) throw new IllegalArgumentException(driver + " handle of " + task + " has no " + key);
        return v;
    }

    /** A flat text form: {@code key=value} lines, the inverse of {@link #parse}. */
    public String toText() {
        var lines = new StringBuilder();
        lines.append("driver=").append(driver).append('\n');
        lines.append("instance=").append(task.instance()).append('\n');
        lines.append("task=").append(task.task()).append('\n');
        lines.append("startedAt=").append(startedAt).append('\n');
        new TreeMap<>(attributes).forEach((k, v) -> lines.append("attr.").append(k).append('=').append(v).append('\n'));
        return lines.toString();
    }

    public static TaskHandle parse(String text) {
        var fields = new TreeMap<String, String>();
        var attrs = new TreeMap<String, String>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            int eq = line.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("not a task handle line: " + line);
            String k = line.substring(0, eq);
            String v = line.substring(eq + 1);
            if (k.startsWith("attr.")) attrs.put(k.substring(5), v); else fields.put(k, v);
        }
        return new TaskHandle(fields.get("driver"), new TaskId(fields.get("instance"), fields.get("task")),
                Instant.parse(fields.get("startedAt")), attrs);
    }
}
