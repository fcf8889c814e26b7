package io.wharf.model.task;

import io.wharf.model.Frozen;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One health check. {@code http}: GET {@code path} on {@code port} answers 2xx/3xx; {@code tcp}:
 * a connection to {@code port} opens; {@code command}: {@code command} exits 0 inside the task.
 * {@code port} is a port name of the task or a number. The check runs every {@code interval}
 * after {@code startPeriod}; {@code failureThreshold} consecutive failures make it fail and
 * {@code successThreshold} consecutive successes make it pass.
 */
public record Probe(ProbeType type, String path, String port, List<String> command, Duration interval,
                   Duration timeout, Duration startPeriod, int failureThreshold, int successThreshold) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    public Probe {
        Objects.requireNonNull(type, "type");
        command = Frozen.list(command);
        if (interval == null) interval = DEFAULT_INTERVAL;
        if (timeout == null) timeout = DEFAULT_TIMEOUT;
        if (startPeriod == null) startPeriod = Duration.ZERO;
        if (failureThreshold < 1 || successThreshold < 1) throw new IllegalArgumentException("thresholds must be >= 1");
    }

    public static Probe http(String path, String port) {
        return new Probe(ProbeType.HTTP, path, port, List.of(), DEFAULT_INTERVAL, DEFAULT_TIMEOUT, Duration.ZERO, 3, 1);
    }
}
