package io.wharf.model.task;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;

/**
 * A simulated task for tests and scale benchmarks: it "runs" without a process until stopped.
 * {@code failAfter} (null = never) makes it exit with code 1 that long after its start, to
 * exercise restart and failure paths without real workloads.
 */
@JsonPropertyOrder({"driver"})
public record SimDriver(Duration failAfter) implements DriverConfig {
    public SimDriver {
        if (failAfter != null && failAfter.isNegative()) {
            throw new IllegalArgumentException("failAfter must not be negative");
        }
    }

    /** A task that runs until it is stopped. */
    public static final SimDriver FOREVER = new SimDriver(null);

    @Override public String driverName() { return "sim"; }
}
