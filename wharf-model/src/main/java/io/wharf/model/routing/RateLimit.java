package io.wharf.model.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * Token bucket per client key: {@code requests} per {@code per}, bursts up to {@code burst}.
 * The key is the client address, or the value of header {@code keyHeader} when it is set
 * (a request without that header is keyed by its address).
 */
public record RateLimit(int requests, Duration per, int burst, String keyHeader) {
    public RateLimit {
        Objects.requireNonNull(per, "per");
    }

    public RateLimit(int requests, Duration per, int burst) { this(requests, per, burst, null); }
}
