package io.wharf.model.task;

import java.util.Objects;

/**
 * A config or secret given to a task, by name: as the environment variable {@code env}, or as
 * the file {@code path} with permission bits {@code mode} (e.g. 0440), exactly one of env and path.
 */
public record ConfigMount(String name, String env, String path, int mode) {
    public ConfigMount {
        Objects.requireNonNull(name, "name");
    }

    /** Mode as written in files: four octal digits, {@code 0440}. */
    public String modeText() { return String.format("%04o", mode); }
}
