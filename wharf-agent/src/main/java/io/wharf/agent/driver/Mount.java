package io.wharf.agent.driver;

import java.util.Objects;

/**
 * A volume given to a task at {@code target}. A {@code HOST_PATH} source is a directory on the
 * node; a {@code NAMED} source is a volume the driver keeps by name (a Docker volume, or a
 * directory under the agent's volume root for process and java tasks), so its data outlives the
 * task. A host process cannot have its filesystem remapped, so process and java tasks get the
 * resolved directory in env {@code WHARF_VOLUME_<NAME>} ({@link #envName()}) instead.
 */
public record Mount(Kind kind, String source, String target, boolean readOnly) {
    public enum Kind { HOST_PATH, NAMED }

    public Mount {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
    }

    /** {@code WHARF_VOLUME_} and the last segment of target, upper case: {@code /var/data} gives {@code WHARF_VOLUME_DATA}. */
    public String envName() {
        String t = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        String last = t.substring(t.lastIndexOf('/') + 1);
        return "WHARF_VOLUME_" + last.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
