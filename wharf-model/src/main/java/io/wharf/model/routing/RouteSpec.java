package io.wharf.model.routing;

import io.wharf.model.Frozen;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Requests for {@code host} (null = any host) whose path starts with {@code path} and that carry
 * every header of {@code headers} (name → exact value; names are case-insensitive and kept
 * lowercase) go to {@code backends} in proportion to their weights; {@code stripPrefix} removes
 * the path prefix before forwarding. When several routes match, the highest {@code priority}
 * wins, then the most specific (see the gateway's RouteTable). {@code timeout} per attempt, up to
 * {@code retries} retries of idempotent requests (of any request when
 * {@code retryNonIdempotent}), endpoints picked by {@code loadBalancing}, optional rate limit
 * and auth.
 */
public record RouteSpec(String host, String path, List<Backend> backends, boolean stripPrefix, Duration timeout,
                        int retries, RateLimit rateLimit, RouteAuth auth, Map<String, String> headers, int priority,
                        LoadBalancing loadBalancing, boolean retryNonIdempotent) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public RouteSpec {
        if (path == null) path = "/";
        backends = Frozen.list(backends);
        if (timeout == null) timeout = DEFAULT_TIMEOUT;
        headers = Frozen.map(headers);
        if (loadBalancing == null) loadBalancing = LoadBalancing.ROUND_ROBIN;
    }

    public RouteSpec(String host, String path, List<Backend> backends, boolean stripPrefix, Duration timeout,
                     int retries, RateLimit rateLimit, RouteAuth auth) {
        this(host, path, backends, stripPrefix, timeout, retries, rateLimit, auth, Map.of(), 0, null, false);
    }
}
