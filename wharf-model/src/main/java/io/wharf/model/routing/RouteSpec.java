package io.wharf.model.routing;

import io.wharf.model.Frozen;
import java.time.Duration;
import java.util.List;

/**
 * Requests for {@code host} (null = any host) whose path starts with {@code path} go to
 * {@code backends} in proportion to their weights; {@code stripPrefix} removes the path prefix
 * before forwarding. {@code timeout} per attempt, up to {@code retries} retries of idempotent
 * requests, optional rate limit and auth.
 */
public record RouteSpec(String host, String path, List<Backend> backends, boolean stripPrefix, Duration timeout,
                        int retries, RateLimit rateLimit, RouteAuth auth) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public RouteSpec {
        if (path == null) path = "/";
        backends = Frozen.list(backends);
        if (timeout == null) timeout = DEFAULT_TIMEOUT;
    }
}
