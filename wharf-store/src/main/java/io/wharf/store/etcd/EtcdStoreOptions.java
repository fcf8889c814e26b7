package io.wharf.store.etcd;

import io.wharf.store.StoreLimits;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How to reach etcd and how long to wait for it.
 *
 * @param endpoints etcd client URLs ({@code http://host:port}), at least one
 * @param root a key prefix every key of this store lives under ({@code ""} for none), so several
 *     Wharf clusters, or tests, can share one etcd; it never appears in keys the store returns
 * @param requestTimeout the longest any single call waits before failing with "etcd unavailable"
 * @param watchReconnectWindow how long a watch keeps trying to reconnect to an unreachable etcd
 *     before it ends with {@link io.wharf.store.WatchListener#onError}
 * @param limits the transaction size the etcd cluster accepts, which the store reports to its
 *     callers: etcd's defaults ({@link StoreLimits#ETCD_DEFAULTS}) unless the cluster runs with
 *     larger {@code --max-txn-ops} and {@code --max-request-bytes} (see docs/operations.md).
 *     Reporting more than the cluster allows makes large writes fail at etcd instead
 */
public record EtcdStoreOptions(List<URI> endpoints, String root, Duration requestTimeout,
    Duration watchReconnectWindow, StoreLimits limits) {

  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_WATCH_RECONNECT_WINDOW = Duration.ofSeconds(30);

  public EtcdStoreOptions {
    endpoints = List.copyOf(endpoints);
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(watchReconnectWindow, "watchReconnectWindow");
    Objects.requireNonNull(limits, "limits");
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("endpoints: at least one etcd endpoint is required");
    }
    for (URI e : endpoints) {
      if (!"http".equals(e.getScheme()) || e.getHost() == null || e.getPort() < 0) {
        throw new IllegalArgumentException("endpoints: " + e + " is not http://host:port");
      }
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout: must be > 0, was " + requestTimeout);
    }
    if (watchReconnectWindow.isNegative()) {
      throw new IllegalArgumentException("watchReconnectWindow: must be >= 0, was " + watchReconnectWindow);
    }
  }

  /** Options for these endpoints, no root, default timeouts. */
  public static EtcdStoreOptions of(String... endpoints) {
    return new EtcdStoreOptions(Arrays.stream(endpoints).map(URI::create).toList(), "",
        DEFAULT_REQUEST_TIMEOUT, DEFAULT_WATCH_RECONNECT_WINDOW, StoreLimits.ETCD_DEFAULTS);
  }

  public EtcdStoreOptions withRoot(String newRoot) {
    return new EtcdStoreOptions(endpoints, newRoot, requestTimeout, watchReconnectWindow, limits);
  }

  public EtcdStoreOptions withRequestTimeout(Duration timeout) {
    return new EtcdStoreOptions(endpoints, root, timeout, watchReconnectWindow, limits);
  }

  public EtcdStoreOptions withWatchReconnectWindow(Duration window) {
    return new EtcdStoreOptions(endpoints, root, requestTimeout, window, limits);
  }

  /** The limits the etcd cluster is configured for ({@code --max-txn-ops}, {@code --max-request-bytes}). */
  public EtcdStoreOptions withLimits(StoreLimits newLimits) {
    return new EtcdStoreOptions(endpoints, root, requestTimeout, watchReconnectWindow, newLimits);
  }

  /** The endpoints as one string for messages, e.g. {@code http://127.0.0.1:2379}. */
  public String endpointList() {
    return endpoints.stream().map(URI::toString).collect(Collectors.joining(","));
  }
}
