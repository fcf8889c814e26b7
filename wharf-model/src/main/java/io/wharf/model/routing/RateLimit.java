package io.wharf.model.routing;

import java.time.Duration;
import java.util.Objects;

/** Token bucket per client address: {@code requests} per {@code per}, bursts up to {@code burst}. */
public record RateLimit(int requests, Duration per, int burst) {
    public RateLimit {
        Objects.requireNonNull(per, "per");
    }
}
