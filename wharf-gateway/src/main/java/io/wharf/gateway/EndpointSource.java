package io.wharf.gateway;

import io.wharf.client.discovery.DiscoverySnapshot;
import java.util.function.Consumer;

/**
 * Where the gateway learns routes and the ready endpoints of each (service, port). The listener
 * receives whole snapshots (never deltas), from any thread, one call at a time; each replaces
 * the previous one. Production: {@link WatchedEndpoints} (the control plane's watch).
 */
public interface EndpointSource extends AutoCloseable {
  void subscribe(Consumer<DiscoverySnapshot> listener);

  @Override
  default void close() {
  }
}
