package io.wharf.agent.driver;

import java.util.Objects;
import java.util.regex.Pattern;

/** One task of one instance on this node: {@code instance/task}. */
public record TaskId(String instance, String task) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    public TaskId {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(task, "task");
        if (!NAME.matcher(instance).matches()) throw new IllegalArgumentException("bad instance name: " + instance);
        if (!NAME.matcher(task).matches()) throw new IllegalArgumentException("bad task name: " + task);
    }

    @Override public String toString() { return instance + "/" + task; }
}
