package io.wharf.model.task;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.wharf.model.Frozen;
import java.util.List;
import java.util.Objects;

/**
 * A container through the Docker Engine API. {@code entrypoint} and {@code command} replace the
 * image's; {@code network} is host or bridge (bridge publishes ports on the node address).
 */
@JsonPropertyOrder({"driver"})
public record DockerDriver(String image, List<String> entrypoint, List<String> command, NetworkMode network,
                           boolean privileged) implements DriverConfig {
    public DockerDriver {
        Objects.requireNonNull(image, "image");
        entrypoint = Frozen.list(entrypoint);
        command = Frozen.list(command);
        if (network == null) network = NetworkMode.BRIDGE;
    }

    @Override public String driverName() { return "docker"; }
}
