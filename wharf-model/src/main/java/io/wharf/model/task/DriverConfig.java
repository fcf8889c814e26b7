package io.wharf.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a task is run: which driver and that driver's settings. In JSON and YAML the settings
 * sit flat in the task next to {@code driver: process|docker|java|sim}.
 */
public sealed interface DriverConfig permits ProcessDriver, DockerDriver, JavaDriver, SimDriver {

    /** The {@code driver} field: process, docker, java or sim (simulated, for tests and benchmarks). */
    @JsonProperty("driver")
    String driverName();
}
