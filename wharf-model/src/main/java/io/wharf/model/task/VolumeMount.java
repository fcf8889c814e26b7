package io.wharf.model.task;

import java.util.Objects;

/**
 * A volume mounted into a task at {@code target}: either a named volume ({@code name}, declared
 * in the stack's {@code volumes}) or a {@code hostPath}, exactly one of them.
 */
public record VolumeMount(String name, String hostPath, String target, boolean readOnly) {
    public VolumeMount {
        Objects.requireNonNull(target, "target");
    }
}
