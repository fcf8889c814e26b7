package io.wharf.model.task;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.wharf.model.Frozen;
import java.util.List;

/** A host process: {@code command} (program and its first arguments), more {@code args}, {@code workingDir}. */
@JsonPropertyOrder({"driver"})
public record ProcessDriver(List<String> command, List<String> args, String workingDir) implements DriverConfig {
    public ProcessDriver {
        command = Frozen.list(command);
        args = Frozen.list(args);
    }

    @Override public String driverName() { return "process"; }
}
